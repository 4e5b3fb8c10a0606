"""Sensitive categories are not Open311 services and their cases never appear, whatever is asked."""

from __future__ import annotations

import pytest

from open311.models import Submission
from open311.tests.helpers import API, FORMATS, form, items, post
from ventanilla.testing import new_case


@pytest.mark.parametrize("fmt", FORMATS)
def test_sensitive_categories_are_not_listed(client, world, fmt):
    codes = [service["service_code"] for service in items(client.get(f"{API}/services.{fmt}"), fmt)]
    assert "DENUNCIA-CORRUPCION" not in codes and "FALTA-AGUA" in codes
    assert client.get(f"{API}/services/DENUNCIA-CORRUPCION.{fmt}").status_code == 404


def test_unlisted_and_inactive_categories_are_not_services(client, world):
    world.flooding.public = False
    world.flooding.save()
    world.water.active = False
    world.water.save()
    codes = [service["service_code"] for service in items(client.get(f"{API}/services.json"), "json")]
    assert codes == ["BASURA-NO-RECOGIDA"]
    assert client.get(f"{API}/services/INUNDACION.json").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_sensitive_cases_never_appear(client, world, fmt):
    public = new_case(world)
    secret = new_case(world, world.corruption, description="Cobran coimas en la ventanilla 3.")
    queries = [
        {},
        {"service_code": "DENUNCIA-CORRUPCION"},
        {"service_request_id": f"{secret.number},{public.number}"},
        {"status": "open", "extensions": "true"},
    ]
    for query in queries:
        response = client.get(f"{API}/requests.{fmt}", query)
        assert secret.number not in response.content.decode() and "coimas" not in response.content.decode()
    assert client.get(f"{API}/requests/{secret.number}.{fmt}").status_code == 404


def test_a_token_stops_answering_when_its_category_becomes_sensitive(client, world, api_key):
    (receipt,) = items(post(client, "json", form(world, api_key=api_key.raw)), "json")
    assert client.get(f"{API}/tokens/{receipt['token']}.json").status_code == 200
    world.water.sensitive = True
    world.water.save()
    assert client.get(f"{API}/tokens/{receipt['token']}.json").status_code == 404
    assert client.get(f"{API}/requests/{receipt['service_request_id']}.json").status_code == 404
    assert Submission.objects.filter(token=receipt["token"]).exists()
