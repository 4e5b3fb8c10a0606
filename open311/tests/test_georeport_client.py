"""A real Open311 client from PyPI (`georeport`) reads our live server over HTTP, in both formats."""

from __future__ import annotations

import pytest
import requests
from django.conf import settings
from georeport import GeoReport

from open311.models import ApiKey
from ventanilla.testing import SAN_MIGUELITO, new_case


@pytest.fixture
def endpoint(live_server, transactional_world):
    return f"{live_server.url}/open311/v2"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_client_reads_services_definitions_and_requests(endpoint, transactional_world, fmt):
    world = transactional_world
    water = new_case(world, world.water)
    rubbish = new_case(world, world.rubbish)
    client = GeoReport(endpoint, jurisdiction=settings.OPEN311_JURISDICTION_ID, output_format=fmt)

    services = {service["service_code"]: service for service in client.get_service_list()}
    assert set(services) == {"BASURA-NO-RECOGIDA", "FALTA-AGUA", "INUNDACION"}
    assert str(services["BASURA-NO-RECOGIDA"]["metadata"]).lower() == "true"

    definition = client.get_service_definition("BASURA-NO-RECOGIDA")
    attributes = definition["attributes"] if fmt == "json" else definition["attributes"]["attribute"]
    assert [attribute["code"] for attribute in attributes] == ["tipo_desecho", "dias_sin_recoleccion"]

    listed = client.get_service_requests(service_code="FALTA-AGUA,BASURA-NO-RECOGIDA", status="open")
    assert [request["service_request_id"] for request in listed] == [rubbish.number, water.number]

    one = client.get_service_request(water.number)
    assert one["service_request_id"] == water.number and one["service_code"] == "FALTA-AGUA"
    assert one["agency_responsible"] == world.idaan.name


def test_the_client_reads_back_a_request_posted_over_http(endpoint, transactional_world):
    world = transactional_world
    _key, raw = ApiKey.issue("Cliente de prueba")
    posted = requests.post(
        f"{endpoint}/requests.json",
        data={"api_key": raw, "service_code": world.water.code, "lat": SAN_MIGUELITO[0], "long": SAN_MIGUELITO[1],
              "description": "Tubería rota frente a la escuela."},
        timeout=30,
    )
    assert posted.status_code == 200, posted.text
    number = posted.json()[0]["service_request_id"]
    found = GeoReport(endpoint, output_format="xml").get_service_request(number)
    assert found["description"] == "Tubería rota frente a la escuela." and found["status"] == "open"


def test_the_client_sees_errors_as_http_errors(endpoint, transactional_world):
    client = GeoReport(endpoint, jurisdiction="sfgov.org")
    with pytest.raises(requests.HTTPError) as error:
        client.get_service_list()
    assert error.value.response.status_code == 404
