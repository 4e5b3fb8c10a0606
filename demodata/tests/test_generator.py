"""The demo case generator: deterministic, realistic, and consistent with the services' own rules."""

from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from demodata.generator import load_demo_data
from demodata.store import generate_cases
from cases.models import Case, CaseContact, CaseEvent, RejectionReason, State, SurveyResponse
from cases.numbering import forget_numbering
from cases.routing import route_case
from cases.sla import WorkCalendar
from entities import geo
from entities.models import Entity
from ventanilla.testing import SAN_MIGUELITO, new_case

COUNT = 240


def snapshot():
    return list(
        Case.objects.by_number().values_list(
            "number", "category__code", "state", "channel", "district__code", "lat", "description", "created_at"
        )
    )


@pytest.fixture
def now():
    return timezone.now()


def test_the_same_seed_gives_the_same_cases(world, now):
    generate_cases(COUNT, seed=7, now=now)
    first = snapshot()
    Case.objects.all().delete()
    forget_numbering()
    generate_cases(COUNT, seed=7, now=now)
    assert snapshot() == first
    assert len(first) == COUNT


def test_another_seed_gives_other_cases(world, now):
    generate_cases(COUNT, seed=7, now=now)
    first = snapshot()
    Case.objects.all().delete()
    forget_numbering()
    generate_cases(COUNT, seed=8, now=now)
    assert [row[1:] for row in snapshot()] != [row[1:] for row in first]


def test_every_state_and_every_rejection_reason_appears(world, now):
    generate_cases(COUNT, seed=1, now=now)
    states = Counter(Case.objects.values_list("state", flat=True))
    assert set(states) == set(State.values)
    reasons = set(Case.objects.filter(state=State.REJECTED).values_list("rejection_reason", flat=True))
    assert reasons == set(RejectionReason.values)
    # Mostly finished work, as in a year of a real 311 service.
    assert states[State.CLOSED] + states[State.RESOLVED] > COUNT / 2


def test_duplicates_point_at_an_earlier_case_of_the_same_category_and_place(world, now):
    generate_cases(COUNT, seed=1, now=now)
    duplicates = Case.objects.filter(rejection_reason=RejectionReason.DUPLICATE).select_related("duplicate_of")
    assert duplicates
    for case in duplicates:
        assert case.duplicate_of.created_at <= case.created_at
        assert (case.duplicate_of.category_id, case.duplicate_of.district_id) == (case.category_id, case.district_id)


def test_cases_are_routed_as_route_case_decides(world, now):
    generate_cases(COUNT, seed=2, now=now)
    for case in Case.objects.select_related("category__owner", "district"):
        decision = route_case(case.category, case.district)
        assert case.entity == decision.entity
        routed = case.events.get(kind=CaseEvent.Kind.ROUTED)
        assert (routed.entity, routed.reason) == (decision.entity, decision.reason)


def test_municipal_cases_go_to_the_municipality_of_their_district(world, now):
    generate_cases(COUNT, seed=2, now=now)
    municipal = Case.objects.filter(category__municipal=True, district__municipality__isnull=False)
    assert municipal.filter(entity=world.san_miguelito).exists()
    for case in municipal.select_related("district__municipality"):
        assert case.entity == case.district.municipality
    assert not Case.objects.filter(category__municipal=True, district__municipality__isnull=True).exclude(
        entity=world.contact_center
    ).exists()


def test_located_cases_lie_inside_their_district(world, now):
    generate_cases(COUNT, seed=3, now=now)
    located = Case.objects.filter(lat__isnull=False).select_related("district")
    assert located.count() > COUNT / 2
    for case in located:
        assert geo.locate(case.lat, case.lon).district == case.district


def test_anonymous_cases_never_have_contact_details(world, now):
    data = load_demo_data()
    data["category_weights"] = {**data["category_weights"], "DENUNCIA-CORRUPCION": 20}
    generate_cases(COUNT, seed=4, now=now, data=data)
    anonymous = Case.objects.filter(is_anonymous=True)
    assert anonymous.exists()
    assert not CaseContact.objects.filter(case__is_anonymous=True).exists()
    assert not anonymous.exclude(category__anonymous_allowed=True).exists()
    contacts = CaseContact.objects.all()
    assert contacts.exists()
    assert all(c.email.endswith(".invalid") for c in contacts if c.email)


def test_numbers_follow_receipt_order_and_new_cases_continue_them(world, now):
    generate_cases(COUNT, seed=5, now=now)
    by_year = {}
    for number, created_at in Case.objects.order_by("created_at", "pk").values_list("number", "created_at"):
        year, sequence = number.split("-")
        by_year.setdefault(year, []).append(int(sequence))
    for sequences in by_year.values():
        assert sequences == list(range(1, len(sequences) + 1))
    this_year = str(timezone.localtime().year)
    case = new_case(world, world.water, point=SAN_MIGUELITO)
    assert case.number == f"{this_year}-{len(by_year.get(this_year, [])) + 1:06d}"


def test_timelines_are_consistent_with_the_case(world, now):
    generate_cases(COUNT, seed=6, now=now)
    calendar = WorkCalendar()
    for case in Case.objects.select_related("category").prefetch_related("events"):
        events = sorted(case.events.all(), key=lambda e: (e.created_at, e.pk))
        assert [e.kind for e in events[:2]] == [CaseEvent.Kind.CREATED, CaseEvent.Kind.ROUTED]
        assert events[0].created_at == case.created_at
        assert case.due_at == calendar.due_at(case.created_at, case.category.sla_business_days)
        assert all(e.created_at <= now for e in events)
        state = State.RECEIVED
        for event in events[2:]:
            if event.to_state:
                assert event.from_state == state, case.number
                state = event.to_state
        assert state == case.state
        assert (case.resolved_at is not None) == any(e.kind == CaseEvent.Kind.RESOLVED for e in events)
        assert (case.closed_at is not None) == (case.state in (State.CLOSED, State.REJECTED))
        assert bool(case.rejection_reason) == (case.state == State.REJECTED)


def test_overdue_open_cases_exist(world, now):
    generate_cases(COUNT, seed=6, now=now)
    assert Case.objects.open().filter(due_at__lt=now).exists()


def test_surveys_answer_only_resolved_cases(world, now):
    generate_cases(COUNT, seed=7, now=now)
    surveys = SurveyResponse.objects.select_related("case")
    finished = Case.objects.filter(state__in=[State.RESOLVED, State.CLOSED]).count()
    assert 0.2 * finished < surveys.count() < 0.6 * finished
    for survey in surveys:
        assert survey.case.state in (State.RESOLVED, State.CLOSED)
        assert survey.case.resolved_at <= survey.created_at <= now
        assert 1 <= survey.satisfaction <= 5
    assert CaseEvent.objects.filter(kind=CaseEvent.Kind.SURVEY).count() == surveys.count()


def test_resolved_cases_carry_a_public_message(world, now):
    generate_cases(COUNT, seed=8, now=now)
    resolutions = CaseEvent.objects.filter(kind=CaseEvent.Kind.RESOLVED)
    assert resolutions.exists()
    assert not resolutions.filter(public=False).exists()
    assert not resolutions.filter(message="").exists()


def test_writing_batches_outside_a_transaction_keeps_numbers_unique_and_sequential(transactional_world):
    generate_cases(300, seed=9, batch_size=40)
    numbers = list(Case.objects.order_by("created_at", "pk").values_list("number", flat=True))
    assert len(numbers) == len(set(numbers)) == 300
    for year in {n[:4] for n in numbers}:
        sequences = [int(n[5:]) for n in numbers if n.startswith(year)]
        assert sequences == list(range(1, len(sequences) + 1))
    assert CaseEvent.objects.filter(case__isnull=False).count() == CaseEvent.objects.count() > 300


def test_the_command_reports_what_it_generated(world):
    from io import StringIO

    out = StringIO()
    call_command("generate_cases", "--count", "60", stdout=out)
    assert Case.objects.count() == 60
    assert "Generated 60 cases" in out.getvalue() and "cases/s" in out.getvalue()


def test_the_command_refuses_a_count_below_one(world):
    with pytest.raises(CommandError):
        call_command("generate_cases", "--count", "0")
    assert not Case.objects.exists()


def test_the_command_explains_that_a_jurisdiction_is_needed(db):
    with pytest.raises(CommandError, match="load_jurisdiction"):
        call_command("generate_cases", "--count", "10")
    assert not Entity.objects.exists() and not Case.objects.exists()


def test_a_history_longer_than_a_big_citys_year_spans_several_years():
    from demodata.generator import CASES_PER_YEAR, years_for

    assert years_for(1) == years_for(1_000_000) == years_for(CASES_PER_YEAR) == 1
    assert years_for(CASES_PER_YEAR + 1) == 2
    assert years_for(10_000_000) == 4


def test_several_years_of_history_grow_year_by_year_and_are_numbered_per_year(world, now):
    generate_cases(3000, seed=7, now=now, years=3)
    by_year = Counter(Case.objects.values_list("year", flat=True))
    oldest = min(Case.objects.values_list("created_at", flat=True))
    assert (now - oldest).days > 2 * 365 and len(by_year) >= 3
    # 15 % growth a year: the last twelve months hold about a third more than the first twelve.
    year = timedelta(days=365)
    first = Case.objects.filter(created_at__lt=now - 2 * year).count()
    last = Case.objects.filter(created_at__gte=now - year).count()
    assert last > 1.15 * first
    # Each year's numbers start again at 1, in order of receipt.
    for year in by_year:
        sequences = list(Case.objects.filter(year=year).order_by("created_at", "pk").values_list("sequence", flat=True))
        assert sequences == list(range(1, len(sequences) + 1))
    assert all(c.created_at <= now for c in Case.objects.only("created_at"))


def test_the_command_takes_the_years_to_span(world):
    from io import StringIO

    call_command("generate_cases", "--count", "200", "--years", "2", stdout=StringIO())
    oldest = min(Case.objects.values_list("created_at", flat=True))
    assert (timezone.now() - oldest).days > 365
