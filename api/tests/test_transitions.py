"""Lifecycle transitions through POST /api/v1/cases/{number}/transitions/: they change the state and write
the event; a transition the state does not allow is a 409 JSON error and changes nothing; bad parameters
are a 400 with field errors and change nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, CaseEvent, State
from ventanilla.testing import DAVID, new_case


def transition(client, case, **body):
    return client.post(f"/api/v1/cases/{case.number}/transitions/", body, format="json")


def snapshot(case) -> tuple:
    fresh = Case.objects.get(pk=case.pk)
    return fresh.state, fresh.entity_id, fresh.assignee_id, CaseEvent.objects.filter(case=case).count()


def last_event(case) -> CaseEvent:
    return CaseEvent.objects.filter(case=case).order_by("-created_at", "-pk").first()


def test_a_case_goes_from_received_to_resolved_and_each_step_is_on_the_timeline(as_user, cases):
    alice = as_user("alice")
    case = cases.rubbish
    steps = [
        ({"action": "assign"}, "assigned"),
        ({"action": "start"}, "in_progress"),
        ({"action": "request_info", "message": "¿En qué esquina exactamente?"}, "waiting_citizen"),
        ({"action": "resolve", "message": "Se recogió la basura."}, "resolved"),
    ]
    for body, state in steps:
        response = transition(alice, case, **body)
        assert response.status_code == 200, response.content
        assert response.json()["state"] == state
        event = last_event(case)
        assert (event.kind, event.to_state, event.actor.username) == (body["action"], state, "alice")
        assert event.channel == "api"
    timeline = alice.get(f"/api/v1/cases/{case.number}/timeline/").json()["results"]
    assert [e["kind"] for e in timeline] == ["created", "routed", "assign", "start", "request_info", "resolve"]
    assert timeline[4]["message"] == "¿En qué esquina exactamente?"


@pytest.mark.parametrize("user", ["alice", "supervisor", "admin"])
def test_staff_cannot_close_a_resolved_case_the_answer_is_a_409_that_says_who_closes(as_user, cases, user):
    alice = as_user("alice")
    transition(alice, cases.rubbish, action="assign")
    transition(alice, cases.rubbish, action="resolve", message="Se recogió la basura.")
    before = snapshot(cases.rubbish)
    client = as_user(user)
    detail = client.get(f"/api/v1/cases/{cases.rubbish.number}/").json()
    assert "close" not in detail["available_actions"] and "reopen" in detail["available_actions"]

    response = client.post(
        f"/api/v1/cases/{cases.rubbish.number}/transitions/", {"action": "close"}, format="json", HTTP_ACCEPT_LANGUAGE="en"
    )

    assert response.status_code == 409
    body = response.json()
    assert (body["code"], body["action"], body["state"]) == ("closed_by_citizen", "close", "resolved")
    assert "citizen" in body["detail"] and "Resolve the case instead" in body["detail"]
    assert snapshot(cases.rubbish) == before


def test_the_refusal_to_close_speaks_the_callers_language(as_user, cases):
    alice = as_user("alice")
    response = alice.post(
        f"/api/v1/cases/{cases.rubbish.number}/transitions/", {"action": "close"}, format="json", HTTP_ACCEPT_LANGUAGE="es"
    )
    assert response.status_code == 409
    assert "ciudadano" in response.json()["detail"]


def test_a_transition_the_state_does_not_allow_is_a_409_and_changes_nothing(as_user, cases):
    before = snapshot(cases.rubbish)
    response = transition(as_user("alice"), cases.rubbish, action="reopen", message="No está resuelto.")
    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == "invalid_transition"
    assert body["action"] == "reopen"
    assert body["state"] == "received"
    assert cases.rubbish.number in body["detail"]
    assert snapshot(cases.rubbish) == before


def test_reopening_after_the_window_is_a_409(as_user, cases, settings):
    alice = as_user("alice")
    transition(alice, cases.rubbish, action="assign")
    transition(alice, cases.rubbish, action="resolve", message="Listo.")
    Case.objects.filter(pk=cases.rubbish.pk).update(
        resolved_at=timezone.now() - dt.timedelta(days=settings.CASE_REOPEN_WINDOW_DAYS + 1)
    )
    before = snapshot(cases.rubbish)
    response = transition(alice, cases.rubbish, action="reopen", message="Volvió a pasar.")
    assert response.status_code == 409
    assert snapshot(cases.rubbish) == before


def test_resolving_without_saying_what_was_done_is_a_400_and_changes_nothing(as_user, cases):
    alice = as_user("alice")
    transition(alice, cases.rubbish, action="assign")
    before = snapshot(cases.rubbish)
    response = transition(alice, cases.rubbish, action="resolve", message="   ")
    assert response.status_code == 400
    assert list(response.json()) == ["message"]
    assert snapshot(cases.rubbish) == before


@pytest.mark.parametrize(
    "body, field",
    [
        ({}, "action"),
        ({"action": "fly"}, "action"),
        ({"action": "receive_reply"}, "action"),
        ({"action": 7}, "action"),
        ({"action": "resolve", "message": 42}, "message"),
        ({"action": "reject", "reason": "boring"}, "reason"),
        ({"action": "transfer", "message": "No es nuestro."}, "entity"),
        ({"action": "start", "channel": "pigeon"}, "channel"),
    ],
)
def test_malformed_transition_requests_are_400_with_the_field_named(as_user, cases, body, field):
    before = snapshot(cases.rubbish)
    response = transition(as_user("alice"), cases.rubbish, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert snapshot(cases.rubbish) == before


def test_a_body_that_is_not_a_json_object_is_a_400(as_user, cases):
    response = as_user("alice").post(
        f"/api/v1/cases/{cases.rubbish.number}/transitions/", "[1, 2]", content_type="application/json"
    )
    assert response.status_code == 400
    response = as_user("alice").post(
        f"/api/v1/cases/{cases.rubbish.number}/transitions/", "{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_a_form_encoded_body_is_a_415(as_user, cases):
    response = as_user("alice").post(f"/api/v1/cases/{cases.rubbish.number}/transitions/", {"action": "assign"})
    assert response.status_code == 415
    assert Case.objects.get(pk=cases.rubbish.pk).state == State.RECEIVED


def test_a_supervisor_assigns_the_case_to_a_colleague(as_user, cases):
    response = transition(as_user("supervisor"), cases.rubbish, action="assign", assignee="alice")
    assert response.status_code == 200
    assert response.json()["assignee"] == "alice"
    assert last_event(cases.rubbish).actor.username == "sofia"


def test_staff_cannot_assign_a_colleague_only_themselves(as_user, cases):
    before = snapshot(cases.rubbish)
    response = transition(as_user("alice"), cases.rubbish, action="assign", assignee="sofia")
    assert response.status_code == 403
    assert snapshot(cases.rubbish) == before


@pytest.mark.parametrize("assignee, code", [("bob", "not_eligible"), ("nobody-here", "unknown_user")])
def test_the_assignee_must_work_for_the_entity_in_charge(as_user, cases, assignee, code):
    before = snapshot(cases.rubbish)
    response = transition(as_user("supervisor"), cases.rubbish, action="assign", assignee=assignee)
    assert response.status_code == 400
    assert list(response.json()) == ["assignee"]
    assert snapshot(cases.rubbish) == before


def test_transferring_moves_the_case_to_the_other_entitys_queue(as_user, world, cases):
    response = transition(as_user("alice"), cases.rubbish, action="transfer", entity="MUNDAVID", message="Es de David.")
    assert response.status_code == 200, response.content
    assert response.json()["entity"] == "MUNDAVID"
    assert response.json()["state"] == "received"
    # The reporter's details follow the case to its new owners, not to those who passed it on.
    assert response.json()["contact"] is None
    event = last_event(cases.rubbish)
    assert (event.kind, event.previous_entity, event.entity, event.message) == (
        "transfer", world.san_miguelito, world.david, "Es de David."
    )
    assert as_user("alice").get(f"/api/v1/cases/{cases.rubbish.number}/").status_code == 404
    assert as_user("bob").get(f"/api/v1/cases/{cases.rubbish.number}/").json()["contact"]["name"] == "María Pérez"


@pytest.mark.parametrize("entity", ["NOPE", "MUNSM"])
def test_transferring_to_an_unknown_or_the_same_entity_is_a_400(as_user, cases, entity):
    before = snapshot(cases.rubbish)
    response = transition(as_user("alice"), cases.rubbish, action="transfer", entity=entity, message="Prueba.")
    assert response.status_code == 400
    assert list(response.json()) == ["entity"]
    assert snapshot(cases.rubbish) == before


def test_rejecting_a_duplicate_names_the_original(as_user, world, cases):
    second = new_case(world, world.rubbish, description="Otra vez la basura en la misma esquina.")
    response = transition(
        as_user("alice"), second, action="reject", reason="duplicate", duplicate_of=cases.rubbish.number
    )
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "rejected"
    assert response.json()["duplicate_of"] == cases.rubbish.number
    assert last_event(second).reason == "duplicate"


def test_a_duplicate_must_point_to_a_case_the_user_can_see(as_user, world, cases):
    second = new_case(world, world.rubbish)
    before = snapshot(second)
    response = transition(
        as_user("alice"), second, action="reject", reason="duplicate", duplicate_of=cases.water.number
    )
    assert response.status_code == 400
    assert list(response.json()) == ["duplicate_of"]
    assert snapshot(second) == before


def test_the_agent_routes_a_case_from_the_triage_queue(as_user, world):
    # A municipal category outside any municipality with no fallback owner lands in triage.
    stray = new_case(world, world.rubbish, DAVID)
    stray.entity = world.contact_center
    stray.save()
    response = transition(as_user("agent"), stray, action="transfer", entity="IDAAN", message="Es de agua.")
    assert response.status_code == 200, response.content
    assert response.json()["entity"] == "IDAAN"


def test_the_detail_lists_the_actions_available_to_this_user_now(as_user, cases):
    assert as_user("alice").get(f"/api/v1/cases/{cases.rubbish.number}/").json()["available_actions"] == [
        "assign", "reject", "transfer"
    ]
    assert as_user("agent").get(f"/api/v1/cases/{cases.rubbish.number}/").json()["available_actions"] == []


def test_the_schema_says_that_close_is_refused(db):
    from django.test import Client

    schema = Client().get("/api/v1/schema/", {"format": "json"}, HTTP_ACCEPT_LANGUAGE="en").json()
    description = schema["paths"]["/api/v1/cases/{number}/transitions/"]["post"]["description"]
    assert "closed_by_citizen" in description and "always a 409" in description
