"""Audit: the change history of cases, categories, procedures and memberships, and the contact access
log. Administrators read all of it, supervisors their entity's, nobody a sensitive complaint's."""

from __future__ import annotations

import pytest
from django.urls import reverse

from backoffice.desk_services import record_contact_access, set_service_level
from cases.services import Actor, transition
from entities.models import Membership
from ventanilla.testing import make_user, new_case

from .helpers import login

pytestmark = pytest.mark.django_db


def labels(response) -> list[str]:
    return [row.label for row in response.context["rows"]]


def test_an_administrator_reads_every_entitys_case_history_with_its_changes(client, world):
    mine = new_case(world, world.rubbish)
    transition(mine, "assign", Actor(user=world.supervisor), assignee=world.alice)
    theirs = new_case(world, world.rubbish, point=(8.4273, -82.4308))
    response = login(client, world.admin).get(reverse("backoffice:desk_history"), {"tipo": "cases"})
    assert response.status_code == 200
    assert {mine.number, theirs.number} <= set(labels(response))
    assigned = next(row for row in response.context["rows"] if row.label == mine.number and row.changes)
    assert {str(c.new) for c in assigned.changes} >= {"assigned"}


def test_a_supervisor_reads_their_entitys_history_only(client, world, procedures, pruning):
    mine = new_case(world, world.rubbish)
    theirs = new_case(world, world.rubbish, point=(8.4273, -82.4308))
    set_service_level(pruning, 4, actor=world.supervisor)
    login(client, world.supervisor)
    cases = labels(client.get(reverse("backoffice:desk_history"), {"tipo": "cases"}))
    assert mine.number in cases and theirs.number not in cases
    categories = client.get(reverse("backoffice:desk_history"), {"tipo": "categories"})
    change = next(row for row in categories.context["rows"] if row.changes)
    assert (change.who, [(c.old, c.new) for c in change.changes]) == (world.supervisor, [(8, 4)])
    procedures_seen = labels(client.get(reverse("backoffice:desk_history"), {"tipo": "procedures"}))
    assert procedures["stale"].name in procedures_seen and procedures["david"].name not in procedures_seen
    memberships = " ".join(labels(client.get(reverse("backoffice:desk_history"), {"tipo": "memberships"})))
    assert "alice" in memberships and "bob" not in memberships
    assert client.get(reverse("backoffice:desk_history"), {"entidad": world.david.code}).status_code == 403


def test_a_case_number_narrows_the_history(client, world):
    first, second = new_case(world), new_case(world)
    response = login(client, world.admin).get(reverse("backoffice:desk_history"), {"tipo": "cases", "buscar": second.number})
    assert set(labels(response)) == {second.number}
    assert first.number not in response.content.decode()


def test_nobody_reads_a_sensitive_complaints_history_here(client, world):
    complaint = new_case(world, world.corruption, point=None, is_anonymous=True)
    Membership.objects.create(user=world.supervisor, entity=world.oversight, role=Membership.Role.SUPERVISOR)
    for user in (world.admin, world.supervisor):
        response = login(client, user).get(reverse("backoffice:desk_history"), {"tipo": "cases"})
        assert complaint.number not in labels(response)


def test_the_contact_access_log_is_scoped_to_the_entity(client, world):
    mine, theirs = new_case(world, world.rubbish), new_case(world, world.rubbish, point=(8.4273, -82.4308))
    complaint = new_case(world, world.corruption, point=None, contact_email="x@example.invalid")
    record_contact_access(mine, world.alice)
    record_contact_access(theirs, world.bob)
    record_contact_access(complaint, world.investigator)
    supervisor_view = login(client, world.supervisor).get(reverse("backoffice:desk_contact_log"))
    assert [(r.case, r.user) for r in supervisor_view.context["rows"]] == [(mine, world.alice)]
    admin_view = login(client, world.admin).get(reverse("backoffice:desk_contact_log"))
    assert {r.case for r in admin_view.context["rows"]} == {mine, theirs}
    assert "x@example.invalid" not in admin_view.content.decode()


@pytest.mark.parametrize("who", ["alice", "bob", "agent", "investigator", "operator", "charlie"])
def test_others_cannot_read_the_audit_pages(client, world, who):
    login(client, getattr(world, who))
    assert client.get(reverse("backoffice:desk_history")).status_code == 403
    assert client.get(reverse("backoffice:desk_contact_log")).status_code == 403


def test_history_pages_by_keyset_without_gaps(client, world, monkeypatch):
    from backoffice import desk_audit

    cases = [new_case(world) for _ in range(5)]
    monkeypatch.setattr(desk_audit, "PAGE_SIZE", 2)
    login(client, world.admin)
    seen, params = [], {"tipo": "cases"}
    url = reverse("backoffice:desk_history")
    while True:
        response = client.get(url, params) if params else client.get(url + next_url)
        seen += labels(response)
        next_url, params = response.context["next_url"], None
        if not next_url:
            break
    assert sorted(seen) == sorted(c.number for c in cases)


def test_a_user_with_no_membership_left_is_refused(client, world):
    former = make_user("former")
    assert login(client, former).get(reverse("backoffice:desk_history")).status_code == 403
