"""Filing a case through POST /api/v1/cases/: 311 agents for callers, integrations for their users."""

from __future__ import annotations

import pytest

from cases.models import Case, CaseContact, CaseEvent
from ventanilla.testing import OUTSIDE, SAN_MIGUELITO

RUBBISH = {
    "category": "BASURA-NO-RECOGIDA",
    "description": "No han recogido la basura en toda la semana.",
    "lat": SAN_MIGUELITO[0],
    "lon": SAN_MIGUELITO[1],
    "attributes": {"tipo_desecho": "voluminoso", "dias_sin_recoleccion": 6},
}


def file(client, **body):
    return client.post("/api/v1/cases/", body, format="json")


def counts() -> tuple[int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), CaseContact.objects.count()


def test_an_agent_files_for_a_caller_with_channel_phone(as_user, world):
    response = file(
        as_user("agent"),
        **RUBBISH,
        channel="phone",
        contact={"name": "José Rodríguez", "phone": "6987-6543"},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    case = Case.objects.get(number=body["number"])
    assert response["Location"] == f"/api/v1/cases/{case.number}/"
    assert body["tracking_token"] == case.tracking_token
    assert (body["entity"], body["state"], body["channel"]) == ("MUNSM", "received", "phone")
    assert case.attributes == {"tipo_desecho": "voluminoso", "dias_sin_recoleccion": 6}
    assert case.contact.name == "José Rodríguez"
    assert case.reporter_user is None
    created = case.events.get(kind="created")
    assert (created.actor, created.channel) == (world.agent, "phone")


def test_an_integration_files_with_channel_api_by_default(as_user):
    response = file(as_user("alice"), **RUBBISH)
    assert response.status_code == 201
    assert response.json()["channel"] == "api"


def test_an_agent_files_a_sensitive_complaint_that_only_the_oversight_body_then_sees(as_user):
    response = file(
        as_user("agent"),
        category="DENUNCIA-CORRUPCION",
        description="Un funcionario pidió dinero por el trámite.",
        anonymous=True,
        channel="phone",
    )
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    assert as_user("agent").get(f"/api/v1/cases/{number}/").status_code == 404
    assert as_user("investigator").get(f"/api/v1/cases/{number}/").status_code == 200


def test_charlie_without_a_role_cannot_file_through_the_api(as_user, world):
    before = counts()
    response = file(as_user("charlie"), **RUBBISH)
    assert response.status_code == 403
    assert counts() == before


@pytest.mark.parametrize(
    "changes, errors",
    [
        ({"category": "NO-EXISTE"}, {"category"}),
        ({"description": ""}, {"description"}),
        ({"description": 12}, {"description"}),
        ({"lat": "9.04"}, {"lat"}),
        ({"lat": 95.0}, {"lat"}),
        ({"lat": OUTSIDE[0], "lon": OUTSIDE[1]}, {"location"}),
        ({"attributes": {"tipo_desecho": "radiactivo"}}, {"attributes"}),
        ({"attributes": {"color": "verde"}}, {"attributes"}),
        ({"attributes": ["domestico"]}, {"attributes"}),
        ({"channel": "carrier-pigeon"}, {"channel"}),
        ({"contact": {"email": "no-es-correo"}}, {"contact"}),
        ({"anonymous": True, "contact": {"name": "Ana"}}, {"anonymous"}),
        ({"procedure": "no-existe"}, {"procedure"}),
        ({"anonymous": "no"}, {"anonymous"}),
    ],
)
def test_bad_input_is_a_400_naming_the_fields_and_nothing_is_stored(as_user, world, changes, errors):
    before = counts()
    response = file(as_user("agent"), **{**RUBBISH, **changes})
    assert response.status_code == 400, response.content
    assert set(response.json()) == errors
    assert counts() == before


def test_errors_inside_nested_objects_are_nested_with_their_codes(as_user, world):
    response = file(as_user("agent"), **{**RUBBISH, "attributes": {"tipo_desecho": "radiactivo"}})
    assert list(response.json()["attributes"]) == ["tipo_desecho"]
    response = file(as_user("agent"), **{**RUBBISH, "contact": {"phone": "llámame"}})
    assert list(response.json()["contact"]) == ["phone"]


def test_error_messages_follow_the_requested_language(as_user, world):
    client = as_user("agent")
    body = {**RUBBISH, "description": 12}
    spanish = client.post("/api/v1/cases/", body, format="json").json()["description"][0]
    english = client.post("/api/v1/cases/", body, format="json", HTTP_ACCEPT_LANGUAGE="en").json()["description"][0]
    assert english == "Must be a text string."
    assert spanish == "Debe ser una cadena de texto."
