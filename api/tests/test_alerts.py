"""Alerts through the REST API: agency staff file an urgent case with its severity, people affected and
exercise flag (stored on the operations record by operations.services, like every other intake), read
them back in the case detail, and nobody else sets or sees them."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from cases.models import Case, CaseEvent
from cases.services import create_case
from cases.validation import NewCase
from open311.models import ApiKey
from operations import services as ops_services
from operations.models import Alert, AlertSource, OpsEvent
from operations.tests.helpers import build_ops
from ventanilla.testing import PASSWORD, SAN_MIGUELITO

from .conftest import client_for

FLOOD = {
    "category": "INUNDACION",
    "description": "La quebrada se desbordó; el agua entra a las casas de la calle 3.",
    "lat": SAN_MIGUELITO[0],
    "lon": SAN_MIGUELITO[1],
}


@pytest.fixture
def ops(world):
    return build_ops(world)


def file(client, **body):
    return client.post("/api/v1/cases/", body, format="json")


def stored() -> tuple[int, int, int, int]:
    return Case.objects.count(), CaseEvent.objects.count(), Alert.objects.count(), OpsEvent.objects.count()


def test_agency_staff_file_an_alert_with_its_severity_and_people_affected(ops):
    response = file(
        client_for(ops.world.alice), **FLOOD, channel="phone", alert={"severity": 5, "people_affected": 40, "exercise": True}
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["alert"] == {
        "state": "new",
        "state_label": "Nueva",
        "severity": 5,
        "people_affected": 40,
        "exercise": True,
        "source": "staff",
        "urgency": None,
        "merged_into": None,
        "created_at": body["alert"]["created_at"],
        "closed_at": None,
    }
    alert = Alert.objects.select_related("case").get(case__number=body["number"])
    assert (alert.severity, alert.people_affected, alert.exercise, alert.source) == (5, 40, True, AlertSource.STAFF)
    assert alert.case.channel == "phone" and alert.case.events.get(kind="created").actor == ops.world.alice
    # The boards heard it with its severity, as from any other intake.
    created = OpsEvent.objects.get(alert=alert, kind="created")
    assert (created.payload["severity"], created.payload["people_affected"], created.payload["exercise"]) == (5, 40, True)


def test_the_operator_reads_the_alert_in_the_case_detail(ops):
    number = file(client_for(ops.world.agent), **FLOOD, alert={"severity": 4, "source": "citizen"}).json()["number"]
    detail = client_for(ops.operator).get(f"/api/v1/cases/{number}/", HTTP_ACCEPT_LANGUAGE="en")
    assert detail.status_code == 200
    alert = detail.json()["alert"]
    assert (alert["severity"], alert["people_affected"], alert["exercise"], alert["source"]) == (4, None, False, "citizen")
    assert alert["state_label"] == "New"
    # A step on the board shows in the API.
    ops_services.set_severity(Alert.objects.get(case__number=number), ops.operator, 2)
    assert client_for(ops.operator).get(f"/api/v1/cases/{number}/").json()["alert"]["severity"] == 2


def test_an_urgent_case_filed_without_details_gets_the_default_severity(ops):
    body = file(client_for(ops.world.agent), **FLOOD).json()
    assert (body["alert"]["severity"], body["alert"]["source"]) == (3, "citizen")
    body = file(client_for(ops.world.agent), **FLOOD, alert={}).json()
    assert (body["alert"]["severity"], body["alert"]["source"], body["alert"]["exercise"]) == (3, "staff", False)


def test_an_ordinary_case_has_no_alert(ops, as_user):
    response = file(
        as_user("alice"),
        category="BASURA-NO-RECOGIDA",
        description="No han recogido la basura.",
        lat=SAN_MIGUELITO[0],
        lon=SAN_MIGUELITO[1],
        attributes={"tipo_desecho": "domestico"},
    )
    assert response.status_code == 201 and response.json()["alert"] is None
    assert as_user("alice").get(f"/api/v1/cases/{response.json()['number']}/").json()["alert"] is None


@pytest.mark.parametrize(
    "alert, errors",
    [
        ({"severity": 0}, {"severity"}),
        ({"severity": 6}, {"severity"}),
        ({"severity": "5"}, {"severity"}),
        ({"severity": True}, {"severity"}),
        ({"severity": 2.5}, {"severity"}),
        ({"severity": None}, {"severity"}),
        ({"people_affected": -1}, {"people_affected"}),
        ({"people_affected": "40"}, {"people_affected"}),
        ({"people_affected": 10_000_001}, {"people_affected"}),
        ({"exercise": "yes"}, {"exercise"}),
        ({"source": "sensor"}, {"source"}),
        ({"source": "cap"}, {"source"}),
        ({"severity": 9, "people_affected": -3}, {"severity", "people_affected"}),
    ],
)
def test_bad_alert_details_are_a_400_by_field_and_nothing_is_stored(ops, alert, errors):
    before = stored()
    response = file(client_for(ops.world.agent), **FLOOD, alert=alert)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"alert"} and set(response.json()["alert"]) == errors
    assert stored() == before


@pytest.mark.parametrize("alert", [None, [], 5, "severity=5"])
def test_alert_must_be_an_object(ops, alert):
    before = stored()
    response = file(client_for(ops.world.agent), **FLOOD, alert=alert)
    assert response.status_code == 400 and set(response.json()) == {"alert"}
    assert stored() == before


def test_a_severity_five_is_five_whatever_json_writes(ops):
    response = file(client_for(ops.world.agent), **FLOOD, alert={"severity": 5.0})
    assert response.status_code == 201 and response.json()["alert"]["severity"] == 5


def test_alert_details_on_a_category_that_is_not_urgent_are_refused(ops):
    before = stored()
    response = client_for(ops.world.agent).post(
        "/api/v1/cases/",
        {"category": "FALTA-AGUA", "description": "Sin agua desde ayer.", "lat": SAN_MIGUELITO[0], "lon": SAN_MIGUELITO[1], "alert": {"severity": 5}},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 400
    assert response.json() == {"alert": ["This category is not an urgent one: its cases are not alerts, so leave out alert."]}
    unknown = file(client_for(ops.world.agent), **{**FLOOD, "category": "NO-EXISTE"}, alert={"severity": 5})
    assert unknown.status_code == 400 and set(unknown.json()) == {"category"}
    outside = file(client_for(ops.world.agent), **{**FLOOD, "lat": 4.7110, "lon": -74.0721}, alert={"severity": 5})
    assert outside.status_code == 400 and set(outside.json()) == {"location"}
    assert stored() == before


def test_citizens_and_keys_without_the_right_cannot_set_severity(ops, client):
    before = stored()
    # A signed-in citizen: the API files nothing for them, alert or not (their session, their token).
    citizen = APIClient()
    assert citizen.login(username="charlie", password=PASSWORD)
    assert file(citizen, **FLOOD, alert={"severity": 5}).status_code == 403
    assert file(client_for(ops.world.charlie), **FLOOD, alert={"severity": 5}).status_code == 403
    # No credentials, or a sensor's key (keys are for Open311 and the operations intake, not this API).
    assert file(APIClient(), **FLOOD, alert={"severity": 5}).status_code == 401
    sensor_key = ApiKey.issue("Estación", ApiKey.Channel.SENSOR)[1]
    assert file(APIClient(HTTP_AUTHORIZATION=f"Token {sensor_key}"), **FLOOD, alert={"severity": 5}).status_code == 401
    assert stored() == before
    # A citizens' app files through Open311 with its key: a severity it sends is not taken — refused as an
    # unknown question of the category, ignored as any other unknown parameter.
    app_key = ApiKey.issue("App móvil", ApiKey.Channel.MOBILE)[1]
    report = {"api_key": app_key, "service_code": "INUNDACION", "description": FLOOD["description"], "lat": FLOOD["lat"], "long": FLOOD["lon"]}
    refused = client.post("/open311/v2/requests.json", {**report, "attribute[severity]": "5"})
    assert refused.status_code == 400 and "attribute[severity]" in refused.content.decode()
    assert stored() == before
    response = client.post("/open311/v2/requests.json", {**report, "severity": "5", "alert[severity]": "5", "people_affected": "40"})
    assert response.status_code in (200, 201), response.content
    alert = Alert.objects.get()
    assert (alert.severity, alert.people_affected, alert.source, alert.exercise) == (3, None, AlertSource.CITIZEN, False)


def test_another_entitys_staff_and_other_agencies_do_not_see_the_alert(ops):
    number = file(client_for(ops.world.alice), **FLOOD, alert={"severity": 5, "people_affected": 12}).json()["number"]
    alert = Alert.objects.get(case__number=number)
    # The case is SINAPROC's: alice filed it but does not work there, bob neither; nor other agencies.
    for user in (ops.world.alice, ops.world.bob, ops.fire_dispatcher, ops.police_dispatcher, ops.world.charlie):
        response = client_for(user).get(f"/api/v1/cases/{number}/")
        assert response.status_code == 404, user
        assert "severity" not in response.content.decode()
    # Dispatched to the fire brigade: its dispatchers now see the case and its alert; the police still not.
    ops_services.acknowledge(alert, ops.operator)
    ops_services.dispatch(alert, ops.operator, [ops.bomberos.pk])
    assert client_for(ops.fire_dispatcher).get(f"/api/v1/cases/{number}/").json()["alert"]["severity"] == 5
    assert client_for(ops.police_dispatcher).get(f"/api/v1/cases/{number}/").status_code == 404
    # Lists never carry it.
    rows = client_for(ops.operator).get("/api/v1/cases/").json()["results"]
    assert [row["number"] for row in rows] == [number] and "alert" not in rows[0]


def test_a_citizen_reading_their_own_alert_does_not_get_its_operations_details(ops):
    case = create_case(
        NewCase(category_code="INUNDACION", description=FLOOD["description"], lat=FLOOD["lat"], lon=FLOOD["lon"]),
        reporter_user=ops.world.charlie,
    )
    assert Alert.objects.filter(case=case).exists()
    response = client_for(ops.world.charlie).get(f"/api/v1/cases/{case.number}/")
    assert response.status_code == 200
    assert response.json()["alert"] is None
    assert client_for(ops.operator).get(f"/api/v1/cases/{case.number}/").json()["alert"]["severity"] == 3
