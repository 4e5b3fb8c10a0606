"""Comments (POST /cases/{number}/comments/) and who reads which events of a timeline."""

from __future__ import annotations

import pytest

from cases.models import CaseEvent
from cases.services import create_case
from cases.validation import NewCase
from ventanilla.testing import SAN_MIGUELITO


def comment(client, case, **body):
    return client.post(f"/api/v1/cases/{case.number}/comments/", body, format="json")


def timeline(client, case) -> list[dict]:
    response = client.get(f"/api/v1/cases/{case.number}/timeline/")
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_a_comment_is_internal_unless_said_public(as_user, cases):
    response = comment(as_user("alice"), cases.rubbish, message="Revisar con la cuadrilla del turno B.")
    assert response.status_code == 201
    assert response.json()["public"] is False
    assert response.json()["kind"] == "comment"
    assert response.json()["actor"] == "alice"
    event = CaseEvent.objects.get(pk=response.json()["id"])
    assert (event.public, event.channel, event.message) == (False, "api", "Revisar con la cuadrilla del turno B.")


def test_an_agent_leaves_a_note_after_a_caller_phones_back(as_user, cases):
    response = comment(as_user("agent"), cases.rubbish, message="La ciudadana llamó otra vez.", channel="phone")
    assert response.status_code == 201
    assert CaseEvent.objects.get(pk=response.json()["id"]).channel == "phone"


def test_an_operator_who_sees_a_case_cannot_comment_on_it(as_user, world):
    from ventanilla.testing import new_case

    flood = new_case(world, world.flooding)
    before = CaseEvent.objects.count()
    assert comment(as_user("operator"), flood, message="Hola").status_code == 403
    assert CaseEvent.objects.count() == before


@pytest.mark.parametrize(
    "body, field",
    [({}, "message"), ({"message": ""}, "message"), ({"message": "x" * 4001}, "message"),
     ({"message": "Hola", "public": "yes"}, "public"), ({"message": "Hola\x00"}, "message")],
)
def test_a_bad_comment_is_a_400_and_nothing_is_written(as_user, cases, body, field):
    before = CaseEvent.objects.count()
    response = comment(as_user("alice"), cases.rubbish, **body)
    assert response.status_code == 400
    assert field in response.json()
    assert CaseEvent.objects.count() == before


def test_staff_read_internal_and_public_events(as_user, cases):
    alice = as_user("alice")
    comment(alice, cases.rubbish, message="Nota interna.")
    comment(alice, cases.rubbish, message="Vamos mañana.", public=True)
    messages = [e["message"] for e in timeline(alice, cases.rubbish)]
    assert "Nota interna." in messages and "Vamos mañana." in messages


def test_a_signed_in_reporter_reads_only_public_events_without_staff_names(as_user, world):
    own = create_case(
        NewCase(
            category_code=world.rubbish.code,
            description="Basura acumulada frente a la escuela.",
            lat=SAN_MIGUELITO[0],
            lon=SAN_MIGUELITO[1],
            attributes={"tipo_desecho": "domestico"},
            contact_name="Charlie",
        ),
        reporter_user=world.charlie,
    )
    alice = as_user("alice")
    alice.post(f"/api/v1/cases/{own.number}/transitions/", {"action": "assign"}, format="json")
    comment(alice, own, message="Nota interna.")
    comment(alice, own, message="Vamos mañana.", public=True)

    charlie = as_user("charlie")
    events = timeline(charlie, own)
    assert "Nota interna." not in [e["message"] for e in events]
    assert "Vamos mañana." in [e["message"] for e in events]
    assert all(e["public"] for e in events)
    assert all(e["actor"] is None for e in events)
    detail = charlie.get(f"/api/v1/cases/{own.number}/").json()
    assert detail["assignee"] is None
    assert detail["contact"] is None
    assert detail["available_actions"] == []
    assert comment(charlie, own, message="¿Cuándo vienen?").status_code == 403


def test_the_timeline_is_paginated_oldest_first(as_user, cases):
    alice = as_user("alice")
    for i in range(3):
        comment(alice, cases.rubbish, message=f"Nota {i}.")
    response = alice.get(f"/api/v1/cases/{cases.rubbish.number}/timeline/")
    body = response.json()
    assert set(body) == {"next", "previous", "results"}
    assert [e["kind"] for e in body["results"]] == ["created", "routed", "comment", "comment", "comment"]
