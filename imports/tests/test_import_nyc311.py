"""New York's 311 Open Data export: good rows become closed or open history, dirt goes to the rejects file."""

import datetime as dt

import pytest
from django.core.management import CommandError

from cases.events import event_recorded
from cases.maintenance import planner_has_statistics
from cases.models import Case, CaseEvent, Category, State
from entities.models import Entity

from .helpers import FIXTURES, run_import

NYC = FIXTURES / "nyc311_excerpt.csv"
ROWS = 40
# In the excerpt: two closings before creation (lines 2 and 3) and fake ZIP codes (66666, 88888, 99999).
BAD_LINES = {"2", "3", "10", "16", "19", "31"}


def test_good_rows_become_cases_with_their_times_state_and_timeline(world, tmp_path):
    out, rejects = run_import(tmp_path, NYC, "nyc311", "--create-missing")
    assert {r["line"] for r in rejects} == BAD_LINES
    imported = Case.objects.filter(source="nyc311")
    assert imported.count() == ROWS - len(BAD_LINES)
    assert f"{ROWS - len(BAD_LINES)} imported" in out
    case = imported.get(source_id="56918489")
    assert case.is_imported
    assert case.category.code == "NOISE-RESIDENTIAL" and case.entity.code == "nypd"
    assert case.state == State.CLOSED and case.closed_at is not None and case.closed_at > case.created_at
    # 11:44:21 PM in New York is 04:44:21 UTC the next day.
    assert case.created_at == dt.datetime(2023, 3, 1, 4, 44, 21, tzinfo=dt.timezone.utc)
    assert case.number.startswith("2023-") and case.year == 2023
    kinds = list(case.events.order_by("created_at", "pk").values_list("kind", flat=True))
    assert kinds == [CaseEvent.Kind.CREATED, CaseEvent.Kind.CLOSED]
    # Coordinates are kept as given; New York lies in no loaded district.
    assert case.lat == pytest.approx(40.7, abs=0.3) and case.district is None


def test_rejected_rows_say_why_with_their_line_number(world, tmp_path):
    _out, rejects = run_import(tmp_path, NYC, "nyc311", "--create-missing")
    by_line = {r["line"]: r for r in rejects}
    assert by_line["2"]["source_id"] == "56923577"
    assert "before it was created" in by_line["2"]["reason"]
    assert "66666" in by_line["10"]["reason"]
    assert not Case.objects.filter(source_id__in=[r["source_id"] for r in rejects]).exists()


def test_running_the_same_file_again_changes_nothing(world, tmp_path):
    run_import(tmp_path, NYC, "nyc311", "--create-missing")
    before = (list(Case.objects.order_by("pk").values_list("pk", "number", "state")), CaseEvent.objects.count())
    out, rejects = run_import(tmp_path, NYC, "nyc311", "--create-missing")
    assert (list(Case.objects.order_by("pk").values_list("pk", "number", "state")), CaseEvent.objects.count()) == before
    assert f"{ROWS - len(BAD_LINES)} already there" in out
    assert len(rejects) == len(BAD_LINES)


def test_without_create_missing_unknown_categories_are_rejected_not_invented(world, tmp_path):
    categories, entities = Category.objects.count(), Entity.objects.count()
    _out, rejects = run_import(tmp_path, NYC, "nyc311")
    assert not Case.objects.filter(source="nyc311").exists()
    assert len(rejects) == ROWS
    assert any("unknown entity" in r["reason"] or "unknown category" in r["reason"] for r in rejects)
    assert (Category.objects.count(), Entity.objects.count()) == (categories, entities)


def test_created_categories_take_no_new_reports(world, tmp_path):
    run_import(tmp_path, NYC, "nyc311", "--create-missing")
    created = Category.objects.get(code="NOISE-RESIDENTIAL")
    assert not created.active and not created.public
    assert created not in Category.objects.listed()


def test_imported_history_sends_no_notifications(world, tmp_path):
    recorded = []

    def listen(sender, **kwargs):
        recorded.append(kwargs)

    event_recorded.connect(listen)
    try:
        run_import(tmp_path, NYC, "nyc311", "--create-missing")
    finally:
        event_recorded.disconnect(listen)
    assert CaseEvent.objects.filter(case__source="nyc311").exists()
    assert recorded == []


def test_the_import_leaves_the_tables_analysed(world, tmp_path):
    assert not planner_has_statistics(Case)
    run_import(tmp_path, NYC, "nyc311", "--create-missing")
    assert planner_has_statistics(Case)
    assert planner_has_statistics(CaseEvent)


def test_a_missing_file_is_a_clear_error(world, tmp_path):
    with pytest.raises(CommandError, match="No such file"):
        run_import(tmp_path, tmp_path / "nope.csv", "nyc311")
