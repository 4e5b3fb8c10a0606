"""API tokens: issued, rotated and revoked with `ventanilla api_token`; how requests authenticate."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from rest_framework.test import APIClient

from ventanilla.testing import PASSWORD


def api_token(*args: str) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue().strip()


def get_cases(token: str):
    return APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=f"Token {token}")


def test_the_command_prints_a_token_that_opens_the_api(world):
    token = api_token("alice")
    assert len(token) == 40
    assert get_cases(token).status_code == 200
    assert api_token("alice") == token


def test_rotating_replaces_the_token_and_the_old_one_stops_working(world):
    old = api_token("alice")
    new = api_token("alice", "--rotate")
    assert new != old
    assert get_cases(old).status_code == 401
    assert get_cases(new).status_code == 200


def test_revoking_closes_the_api_to_that_token(world):
    token = api_token("alice")
    api_token("alice", "--revoke")
    assert get_cases(token).status_code == 401


def test_a_user_without_a_back_office_role_gets_no_token(world):
    with pytest.raises(CommandError):
        api_token("charlie")
    with pytest.raises(CommandError):
        api_token("nobody")


def test_a_deactivated_users_token_stops_working(world):
    token = api_token("alice")
    world.alice.is_active = False
    world.alice.save()
    assert get_cases(token).status_code == 401


@pytest.mark.parametrize("header", ["Token", "Token not-a-token", "Token " + "0" * 40, "Token abc\x00def", "Bearer x"])
def test_a_bad_authorization_header_is_a_401_json(world, header):
    response = APIClient().get("/api/v1/cases/", HTTP_AUTHORIZATION=header)
    assert response.status_code == 401
    assert response["Content-Type"] == "application/json"
    assert response["WWW-Authenticate"] == "Token"


def test_a_signed_in_back_office_session_works_too(world):
    client = APIClient(enforce_csrf_checks=True)
    assert client.login(username="alice", password=PASSWORD)
    assert client.get("/api/v1/cases/").status_code == 200
    # A browser session must prove the request is not forged before it changes anything.
    response = client.post("/api/v1/cases/", {"category": "FALTA-AGUA", "description": "Sin agua."}, format="json")
    assert response.status_code == 403
    assert response["Content-Type"] == "application/json"
