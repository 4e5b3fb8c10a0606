"""The 311 triage queue: agents recategorise and route the cases no rule could route."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cases.models import Case, CaseEvent, State
from cases.services import Actor, triage_route
from cases.sla import WorkCalendar
from ventanilla.testing import make_category, new_case

from .helpers import login

pytestmark = pytest.mark.django_db


@pytest.fixture
def unrouted(world):
    general = make_category("CONSULTA-GENERAL", None, name_es="Otro problema", name_en="Other problem", sla_business_days=15)
    return new_case(world, general, description="Hay un hueco enorme frente a la escuela.")


def test_an_unroutable_case_waits_in_the_triage_queue(client, world, unrouted):
    assert unrouted.entity == world.contact_center
    response = login(client, world.agent).get(reverse("backoffice:desk_triage"))
    assert response.status_code == 200
    assert [c.number for c in response.context["cases"]] == [unrouted.number]


def test_an_agent_recategorises_and_the_category_routes_the_case(client, world, unrouted):
    response = login(client, world.agent).post(
        reverse("backoffice:desk_triage_case", args=[unrouted.number]), {"category": world.water.code, "entity": ""}
    )
    assert response.status_code == 302
    case = Case.objects.get(pk=unrouted.pk)
    assert (case.category, case.entity, case.state, case.assignee) == (world.water, world.idaan, State.RECEIVED, None)
    assert case.due_at == WorkCalendar().due_at(case.created_at, world.water.sla_business_days)
    changed = case.events.get(kind=CaseEvent.Kind.CATEGORY_CHANGED)
    assert (changed.actor, changed.public, changed.message) == (world.agent, False, "CONSULTA-GENERAL → FALTA-AGUA")
    routed = case.events.filter(kind=CaseEvent.Kind.ROUTED).last()
    assert (routed.entity, routed.previous_entity, routed.reason, routed.public) == (
        world.idaan, world.contact_center, "category_owner", True
    )
    assert client.get(reverse("backoffice:desk_triage")).context["cases"] == []


def test_an_agent_may_name_the_entity(client, world, unrouted):
    login(client, world.agent).post(
        reverse("backoffice:desk_triage_case", args=[unrouted.number]),
        {"category": unrouted.category.code, "entity": world.david.code},
    )
    case = Case.objects.get(pk=unrouted.pk)
    assert (case.entity, case.category) == (world.david, unrouted.category)
    assert not case.events.filter(kind=CaseEvent.Kind.CATEGORY_CHANGED).exists()
    assert case.events.filter(kind=CaseEvent.Kind.ROUTED).last().reason == "manual_transfer"


def test_a_category_that_routes_nowhere_needs_an_entity_and_nothing_changes(client, world, unrouted):
    events = unrouted.events.count()
    response = login(client, world.agent).post(
        reverse("backoffice:desk_triage_case", args=[unrouted.number]), {"category": unrouted.category.code}
    )
    assert response.status_code == 400
    assert "entity" in response.context["form"].errors
    case = Case.objects.get(pk=unrouted.pk)
    assert (case.entity, case.events.count()) == (world.contact_center, events)


def test_a_sensitive_category_cannot_be_chosen(client, world, unrouted):
    response = login(client, world.agent).post(
        reverse("backoffice:desk_triage_case", args=[unrouted.number]), {"category": world.corruption.code}
    )
    assert response.status_code == 400
    assert Case.objects.get(pk=unrouted.pk).category == unrouted.category
    with pytest.raises(ValidationError):
        triage_route(unrouted, category=world.corruption, actor=Actor(user=world.agent))


def test_a_case_outside_triage_cannot_be_routed_from_here(client, world):
    routed = new_case(world)  # IDAAN's
    response = login(client, world.agent).post(
        reverse("backoffice:desk_triage_case", args=[routed.number]), {"category": world.flooding.code}
    )
    assert response.status_code == 404
    assert Case.objects.get(pk=routed.pk).category == world.water
    with pytest.raises(ValidationError):
        triage_route(routed, category=world.flooding, actor=Actor(user=world.agent))


@pytest.mark.parametrize("who", ["alice", "bob", "charlie", "investigator", "operator"])
def test_others_cannot_open_the_queue_or_route_and_nothing_changes(client, world, unrouted, who):
    login(client, getattr(world, who))
    assert client.get(reverse("backoffice:desk_triage")).status_code == 403
    response = client.post(reverse("backoffice:desk_triage_case", args=[unrouted.number]), {"category": world.water.code})
    assert response.status_code in (403, 404)
    case = Case.objects.get(pk=unrouted.pk)
    assert (case.category, case.entity) == (unrouted.category, world.contact_center)


def test_a_signed_out_visitor_is_sent_to_sign_in(client, world, unrouted):
    response = client.get(reverse("backoffice:desk_triage"))
    assert response.status_code == 302


def test_a_forged_number_is_a_404(client, world):
    assert login(client, world.agent).get(reverse("backoffice:desk_triage_case", args=["2026-999999"])).status_code == 404


def test_a_second_agent_routing_the_same_case_is_told_it_already_left(client, world, unrouted):
    from ventanilla.testing import make_user
    from entities.models import Membership

    other = make_user("agente2", Membership.Role.AGENT, world.contact_center)
    url = reverse("backoffice:desk_triage_case", args=[unrouted.number])
    stale = Case.objects.get(pk=unrouted.pk)
    login(client, world.agent).post(url, {"category": world.water.code})
    with pytest.raises(ValidationError) as raised:
        triage_route(stale, category=world.flooding, actor=Actor(user=other))
    assert "case" in raised.value.message_dict
    case = Case.objects.get(pk=unrouted.pk)
    assert (case.category, case.entity) == (world.water, world.idaan)
    # Through the page, the case is simply no longer in the queue.
    assert login(client, other).post(url, {"category": world.flooding.code}).status_code == 404
