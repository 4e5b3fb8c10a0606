"""Agency staff raise an alert with severity, people affected and the exercise flag."""

from operations.models import Alert, AlertSource
from ventanilla.testing import SAN_MIGUELITO

URL = "/operaciones/nueva/"


def test_staff_raise_an_alert_with_what_citizens_do_not_know(ops, client):
    client.force_login(ops.world.alice)
    assert client.get(URL).status_code == 200
    response = client.post(URL, {
        "category": "INUNDACION", "severity": "5", "people_affected": "40", "description": "Barrio anegado",
        "lat": SAN_MIGUELITO[0], "lon": SAN_MIGUELITO[1], "exercise": "on",
    })
    assert response.status_code == 200
    alert = Alert.objects.select_related("case").get()
    assert (alert.severity, alert.people_affected, alert.exercise, alert.source) == (5, 40, True, AlertSource.STAFF)
    assert alert.case.channel == "phone" and alert.case.events.first().actor == ops.world.alice


def test_operators_go_back_to_the_board(ops, client):
    client.force_login(ops.operator)
    response = client.post(URL, {"category": "INUNDACION", "severity": "3", "description": "Crecida", "district": ops.world.david.district.code})
    assert response.status_code == 302 and response["Location"].endswith("/operaciones/")
    assert Alert.objects.get().case.district == ops.world.david.district


def test_bad_input_and_citizens_are_refused(ops, client):
    client.force_login(ops.operator)
    bad = client.post(URL, {"category": "FALTA-AGUA", "severity": "9", "description": ""})
    assert bad.status_code == 400 and "govuk-error-summary" in bad.content.decode()
    assert client.post(URL, {"category": "INUNDACION", "severity": "3", "description": "x", "lat": "9.0"}).status_code == 400
    client.force_login(ops.world.charlie)
    assert client.get(URL).status_code == 403
    assert not Alert.objects.exists()
