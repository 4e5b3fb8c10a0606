"""GET tokens/{token}: the Open311 token maps back to the public number, never to the tracking token."""

from __future__ import annotations

import pytest

from cases.models import Case
from open311.tests.helpers import API, FORMATS, errors, form, items, post


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_token_gives_back_its_service_request_id(client, world, api_key, fmt):
    (receipt,) = items(post(client, fmt, form(world, api_key=api_key.raw)), fmt)
    (found,) = items(client.get(f"{API}/tokens/{receipt['token']}.{fmt}"), fmt)
    assert found == {"service_request_id": receipt["service_request_id"], "token": receipt["token"]}


def test_the_open311_token_is_not_the_citizens_tracking_token(client, world, api_key):
    (receipt,) = items(post(client, "json", form(world, api_key=api_key.raw)), "json")
    case = Case.objects.get(number=receipt["service_request_id"])
    assert receipt["token"] != case.tracking_token
    assert client.get(f"{API}/tokens/{case.tracking_token}.json").status_code == 404


@pytest.mark.parametrize("fmt", FORMATS)
def test_an_unknown_token_is_a_404(client, world, fmt):
    response = client.get(f"{API}/tokens/no-such-token.{fmt}")
    assert response.status_code == 404
    ((code, description),) = errors(response, fmt)
    assert code == 404 and "no-such-token" in description
