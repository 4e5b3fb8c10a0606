"""Supervisors' pages: team workload, overdue list, category settings, outdated-information reports.
Only supervisors of the entity; others are refused and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Category
from cases.sla import WorkCalendar
from catalog.services import report_outdated_information
from entities.models import Membership
from ventanilla.testing import make_user, new_case

from .helpers import login

pytestmark = pytest.mark.django_db

PAGES = ["desk_supervision", "desk_overdue", "desk_categories", "desk_outdated", "desk_procedures"]


def test_the_workload_counts_open_overdue_and_resolved_this_month_per_member(client, world, team):
    response = login(client, world.supervisor).get(reverse("backoffice:desk_supervision"))
    assert response.status_code == 200
    rows = {(row.member.username if row.member else None): row for row in response.context["rows"]}
    assert (rows["alice"].open, rows["alice"].overdue, rows["alice"].resolved_this_month) == (1, 1, 1)
    assert (rows[None].open, rows[None].overdue) == (1, 0)
    assert (rows["sofia"].open, rows["sofia"].resolved_this_month) == (0, 0)
    assert response.context["totals"] == {"open": 2, "overdue": 1, "resolved_this_month": 1}
    # David's case is not San Miguelito's business.
    assert "bob" not in rows


def test_the_overdue_list_shows_the_entitys_late_cases_only(client, world, team):
    david_late = team["elsewhere"]
    Case.objects.filter(pk=david_late.pk).update(due_at=team["overdue"].due_at)
    response = login(client, world.supervisor).get(reverse("backoffice:desk_overdue"))
    assert [c.number for c in response.context["cases"]] == [team["overdue"].number]
    assert david_late.number not in response.content.decode()


def test_the_overdue_list_pages_by_keyset(client, world, team, monkeypatch):
    from backoffice import desk_queries

    late = [team["overdue"]]
    for i in range(4):
        case = new_case(world, world.rubbish, description=f"Basura {i}")
        Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(days=10 - i))
        late.append(case)
    # Two of them due at the very same moment: the id breaks the tie, none is skipped or repeated.
    Case.objects.filter(pk=late[2].pk).update(due_at=Case.objects.get(pk=late[1].pk).due_at)
    monkeypatch.setattr(desk_queries, "LIST_PAGE_SIZE", 2)
    seen, url = [], reverse("backoffice:desk_overdue")
    login(client, world.supervisor)
    while url:
        response = client.get(url)
        seen += [c.number for c in response.context["cases"]]
        url = reverse("backoffice:desk_overdue") + response.context["next_url"] if response.context["next_url"] else ""
    expected = Case.objects.filter(pk__in=[c.pk for c in late]).order_by("due_at", "pk").values_list("number", flat=True)
    assert seen == list(expected)


def test_a_supervisor_sets_the_service_level_of_a_category_their_entity_owns(client, world, pruning):
    login(client, world.supervisor)
    page = client.get(reverse("backoffice:desk_categories"))
    assert [c for c, _form in page.context["rows"]] == [pruning]
    response = client.post(reverse("backoffice:desk_category", args=[pruning.code]), {f"{pruning.code}-sla_business_days": "3"})
    assert response.status_code == 302
    pruning.refresh_from_db()
    assert pruning.sla_business_days == 3
    assert pruning.history.first().history_user == world.supervisor
    case = new_case(world, pruning)
    assert case.due_at == WorkCalendar().due_at(case.created_at, 3)


@pytest.mark.parametrize("value", ["0", "-2", "abc", "", "9999"])
def test_an_impossible_service_level_is_refused(client, world, pruning, value):
    response = login(client, world.supervisor).post(
        reverse("backoffice:desk_category", args=[pruning.code]), {f"{pruning.code}-sla_business_days": value}
    )
    assert response.status_code == 400
    assert Category.objects.get(pk=pruning.pk).sla_business_days == 8


def test_another_entitys_category_cannot_be_set(client, world, pruning):
    login(client, world.supervisor)
    response = client.post(reverse("backoffice:desk_category", args=[world.water.code]), {f"{world.water.code}-sla_business_days": "1"})
    assert response.status_code == 404
    assert Category.objects.get(pk=world.water.pk).sla_business_days == 2


def test_open_outdated_information_reports_are_listed(client, world, procedures, outdated_category):
    report = report_outdated_information(procedures["stale"], what_is_wrong="El costo cambió a B/. 10.")
    other = report_outdated_information(procedures["david"], what_is_wrong="La oficina se mudó.")
    response = login(client, world.supervisor).get(reverse("backoffice:desk_outdated"))
    assert [c.number for c in response.context["cases"]] == [report.number]
    body = response.content.decode()
    assert "El costo cambió" in body and other.number not in body


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "agent", "investigator"])
def test_only_supervisors_open_the_supervision_pages(client, world, who):
    login(client, getattr(world, who))
    for name in PAGES:
        assert client.get(reverse(f"backoffice:{name}")).status_code == 403, name


def test_a_supervisor_cannot_open_another_entitys_pages(client, world, team):
    login(client, world.supervisor)
    for name in PAGES:
        assert client.get(reverse(f"backoffice:{name}"), {"entidad": world.david.code}).status_code == 404, name


def test_a_supervisor_of_two_entities_chooses_between_them(client, world, team):
    Membership.objects.create(user=world.supervisor, entity=world.david, role=Membership.Role.SUPERVISOR)
    login(client, world.supervisor)
    response = client.get(reverse("backoffice:desk_overdue"), {"entidad": world.david.code})
    assert response.context["entity"] == world.david
    Case.objects.filter(pk=team["elsewhere"].pk).update(due_at=team["overdue"].due_at)
    response = client.get(reverse("backoffice:desk_overdue"), {"entidad": world.david.code})
    assert [c.number for c in response.context["cases"]] == [team["elsewhere"].number]


def test_a_supervisor_of_a_deactivated_membership_entity_is_refused(client, world):
    lone = make_user("lone", Membership.Role.SUPERVISOR, world.idaan)
    world.idaan.active = False
    world.idaan.save()
    assert login(client, lone).get(reverse("backoffice:desk_supervision")).status_code == 403
