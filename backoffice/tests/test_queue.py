"""The queue: the entity's cases only, filters, capped counts per state, service-level badges, sorting,
keyset pagination (no OFFSET), saved filters and bulk actions (all or nothing)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from backoffice import queue as queue_module
from backoffice.models import SavedFilter
from cases.models import Case, State
from cases.services import Actor, transition
from ventanilla.testing import SAN_MIGUELITO, new_case

from .core_fixtures import as_user, david_case, fresh, office, rubbish, snapshot  # noqa: F401

QUEUE = "/oficina/"


def numbers(response) -> list[str]:
    import re

    return re.findall(r'data-case="([\d-]+)"', response.content.decode())


def test_the_queue_lists_the_entitys_cases_and_no_others(office, world, rubbish, david_case):
    response = office.get(QUEUE)
    assert response.status_code == 200
    assert numbers(response) == [rubbish.number]
    assert david_case.number not in response.content.decode()


def test_filters_narrow_the_queue(office, world, rubbish):
    water = new_case(world, world.water, point=SAN_MIGUELITO)  # IDAAN's, not alice's
    other = new_case(world, world.rubbish, point=SAN_MIGUELITO, description="Contenedor roto en la esquina.")
    transition(other, "assign", Actor(world.supervisor), assignee=world.alice)
    assert water.number not in numbers(office.get(QUEUE))
    assert numbers(office.get(QUEUE, {"assigned": "me"})) == [other.number]
    assert numbers(office.get(QUEUE, {"assigned": "none"})) == [rubbish.number]
    assert numbers(office.get(QUEUE, {"q": "contenedor"})) == [other.number]
    assert numbers(office.get(QUEUE, {"q": rubbish.number})) == [rubbish.number]
    assert numbers(office.get(QUEUE, {"state": "assigned"})) == [other.number]
    assert numbers(office.get(QUEUE, {"channel": "phone"})) == []
    assert set(numbers(office.get(QUEUE, {"category": world.rubbish.code}))) == {rubbish.number, other.number}
    assert len(numbers(office.get(QUEUE, {"district": "nowhere"}))) == 2  # an unknown value is left out
    Case.objects.filter(pk=rubbish.pk).update(due_at=timezone.now() - timedelta(days=1))
    assert numbers(office.get(QUEUE, {"level": "overdue"})) == [rubbish.number]
    Case.objects.filter(pk=other.pk).update(due_at=timezone.now() + timedelta(hours=2))
    assert numbers(office.get(QUEUE, {"level": "due_soon"})) == [other.number]


def test_every_row_has_its_service_level_badge(office, world, rubbish):
    Case.objects.filter(pk=rubbish.pk).update(due_at=timezone.now() - timedelta(days=1))
    html = office.get(QUEUE).content.decode()
    assert 'data-level="overdue"' in html


def test_counts_per_state_are_capped(office, world, monkeypatch):
    monkeypatch.setattr(queue_module, "COUNT_CAP", 2)
    for _ in range(3):
        new_case(world, world.rubbish, point=SAN_MIGUELITO)
    html = office.get(QUEUE).content.decode()
    assert "más de 2" in html or "more than 2" in html


def test_keyset_pages_cover_the_queue_once_without_offset(office, world, monkeypatch):
    monkeypatch.setattr(queue_module, "PAGE_SIZE", 2)
    made = [new_case(world, world.rubbish, point=SAN_MIGUELITO) for _ in range(5)]
    Case.objects.filter(pk__in=[c.pk for c in made[:2]]).update(due_at=made[0].due_at)  # ties on the key
    seen, url = [], QUEUE
    with CaptureQueriesContext(connection) as queries:
        for _ in range(5):
            response = office.get(url, {"sort": "due"} if url == QUEUE else None)
            seen += numbers(response)
            import re

            found = re.search(r'href="(\?[^"]*after=[^"]+)"[^>]*data-next', response.content.decode())
            if not found:
                break
            url = QUEUE + found.group(1).replace("&amp;", "&")
    assert sorted(seen) == sorted(c.number for c in made) and len(seen) == 5
    assert not any("OFFSET" in q["sql"].upper() for q in queries.captured_queries)


@pytest.mark.parametrize("sort", ["due", "oldest", "newest"])
def test_sorting(office, world, sort):
    made = [new_case(world, world.rubbish, point=SAN_MIGUELITO) for _ in range(3)]
    now = timezone.now()
    for i, case in enumerate(made):  # the first received is due last
        Case.objects.filter(pk=case.pk).update(created_at=now - timedelta(days=10 - i), due_at=now + timedelta(days=10 - i))
    expected = {"due": made[::-1], "oldest": made, "newest": made[::-1]}[sort]
    assert numbers(office.get(QUEUE, {"sort": sort})) == [c.number for c in expected]


def test_saved_filters_belong_to_their_owner(office, client, world, rubbish):
    response = office.post("/oficina/filtros/", {"name": "Mis pendientes", "query": "assigned=none"})
    assert response.status_code == 302
    saved = SavedFilter.objects.get(user=world.alice)
    assert saved.query == "assigned=none"
    assert "Mis pendientes" in office.get(QUEUE).content.decode()
    as_user(office, world.bob)
    assert "Mis pendientes" not in office.get(QUEUE).content.decode()
    assert office.post(f"/oficina/filtros/{saved.pk}/borrar/").status_code == 404
    as_user(office, world.alice)
    office.post(f"/oficina/filtros/{saved.pk}/borrar/")
    assert not SavedFilter.objects.exists()


def test_bulk_assign_and_transfer(office, world, rubbish):
    second = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    as_user(office, world.supervisor)
    response = office.post("/oficina/lote/", {"cases": [rubbish.number, second.number], "action": "assign", "assignee": "alice"})
    assert response.status_code == 302
    assert {fresh(c).assignee for c in (rubbish, second)} == {world.alice}
    assert {fresh(c).state for c in (rubbish, second)} == {State.ASSIGNED}
    office.post("/oficina/lote/", {"cases": [second.number], "action": "assign", "assignee": "sofia"})
    assert fresh(second).assignee == world.supervisor and fresh(second).events.filter(kind="reassign").exists()
    office.post(
        "/oficina/lote/",
        {"cases": [rubbish.number, second.number], "action": "transfer", "entity": world.idaan.code, "reason": "Es una fuga de agua."},
    )
    assert {fresh(c).entity for c in (rubbish, second)} == {world.idaan}


def test_a_bulk_action_with_another_entitys_case_changes_nothing(office, world, rubbish, david_case):
    before = snapshot(rubbish), snapshot(david_case)
    response = office.post("/oficina/lote/", {"cases": [rubbish.number, david_case.number], "action": "assign", "assignee": ""}, follow=True)
    assert "Nada cambió" in response.content.decode() or "Nothing was changed" in response.content.decode()
    assert (snapshot(rubbish), snapshot(david_case)) == before
    forged = office.post("/oficina/lote/", {"cases": [rubbish.number, "2026-999999"], "action": "assign"}, follow=True)
    assert forged.status_code == 200 and snapshot(rubbish) == before[0]


def test_a_bulk_transfer_without_a_reason_changes_nothing(office, world, rubbish):
    before = snapshot(rubbish)
    response = office.post("/oficina/lote/", {"cases": [rubbish.number], "action": "transfer", "entity": world.idaan.code, "reason": ""}, follow=True)
    assert "Indique por qué se traslada el caso" in response.content.decode()
    assert snapshot(rubbish) == before


def test_staff_may_not_assign_colleagues_in_bulk(office, world, rubbish):
    before = snapshot(rubbish)
    office.post("/oficina/lote/", {"cases": [rubbish.number], "action": "assign", "assignee": "sofia"})
    assert snapshot(rubbish) == before
    office.post("/oficina/lote/", {"cases": [rubbish.number], "action": "assign", "assignee": ""})
    assert fresh(rubbish).assignee == world.alice


def test_the_queue_scope_never_exceeds_visible_to(world, rubbish, david_case):
    from ventanilla.testing import make_user

    new_case(world, world.corruption, point=None, is_anonymous=True, description="Cobran por un trámite.")
    new_case(world, world.flooding, point=SAN_MIGUELITO)
    both = make_user("doble", "staff", world.san_miguelito)
    from entities.models import Membership

    Membership.objects.create(user=both, entity=world.sinaproc, role=Membership.Role.OPERATOR)
    users = [world.alice, world.bob, world.charlie, world.supervisor, world.agent, world.investigator, world.operator, world.admin, both]
    for user in users:
        work = set(Case.objects.work_of(user).values_list("pk", flat=True))
        assert work <= set(Case.objects.visible_to(user).values_list("pk", flat=True)), user
    assert set(Case.objects.work_of(world.alice).values_list("pk", flat=True)) == {rubbish.pk}
    assert Case.objects.work_of(world.investigator).get().category == world.corruption
    assert Case.objects.work_of(world.operator).get().category == world.flooding
