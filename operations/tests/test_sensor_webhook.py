"""The JSON webhook for simple sensors: one reading, one alert; errors in JSON, nothing stored."""

import pytest

from cases.models import Case
from open311.models import ApiKey
from operations.models import Alert, AlertSource
from ventanilla.testing import OUTSIDE, SAN_MIGUELITO

URL = "/operaciones/sensores/"


@pytest.fixture
def key(db):
    return ApiKey.issue("Estación Río Abajo", ApiKey.Channel.SENSOR)[1]


def post(client, body, key, raw=None):
    import json

    return client.post(
        URL, data=raw if raw is not None else json.dumps(body), content_type="application/json",
        HTTP_X_API_KEY=key or "", HTTP_ACCEPT_LANGUAGE="en",
    )


READING = {"id": "rio-abajo-2026-06-17T14:55", "event": "river_level_high", "lat": SAN_MIGUELITO[0], "lon": SAN_MIGUELITO[1], "severity": 4}


def test_a_reading_becomes_one_alert(ops, client, key):
    first = post(client, READING, key)
    assert first.status_code == 201, first.content
    again = post(client, READING, key)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    alert = Alert.objects.get()
    assert alert.case.number == first.json()["service_request_id"] == again.json()["service_request_id"]
    assert alert.source == AlertSource.SENSOR and alert.severity == 4 and alert.case.channel == "sensor"
    assert "river_level_high" in alert.case.description


@pytest.mark.parametrize(
    "body, status, field",
    [
        ({**READING, "event": "volcano"}, 400, "event"),
        ({**READING, "severity": 9}, 400, "severity"),
        ({**READING, "lat": "nine"}, 400, "lat"),
        ({k: v for k, v in READING.items() if k != "id"}, 400, "id"),
        ([1, 2], 400, "body"),
        ({**READING, "lat": OUTSIDE[0], "lon": OUTSIDE[1]}, 422, "location"),
    ],
)
def test_bad_readings_are_refused_in_json(ops, client, key, body, status, field):
    response = post(client, body, key)
    assert response.status_code == status
    assert field in response.json()["errors"]
    assert not Case.objects.exists()


def test_broken_json_and_wrong_keys_are_refused(ops, client, key):
    assert post(client, None, key, raw="{oops").status_code == 400
    assert post(client, READING, "").status_code == 401
    assert post(client, READING, ApiKey.issue("App", ApiKey.Channel.API)[1]).status_code == 403
    assert client.get(URL).status_code == 405
    assert not Case.objects.exists()
