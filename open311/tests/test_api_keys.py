"""API keys: issued by administrators (command or admin), shown once, stored hashed, revocable."""

from __future__ import annotations

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from backoffice.testing import login_verified
from open311.models import ApiKey
from open311.tests.helpers import form, post
from ventanilla.testing import PASSWORD


def issue_by_command(*args: str) -> str:
    out, err = StringIO(), StringIO()
    call_command("create_api_key", *args, stdout=out, stderr=err)
    return out.getvalue().strip()


def test_the_command_prints_a_working_key_once_and_stores_only_its_hash(client, world):
    raw = issue_by_command("Municipio Digital")
    key = ApiKey.objects.get(name="Municipio Digital")
    assert key.channel == "api" and key.is_active
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiKey.objects.values().get())
    assert raw.startswith(key.prefix + ".")
    assert post(client, "json", form(world, api_key=raw)).status_code == 200


def test_the_command_issues_mobile_keys(db):
    issue_by_command("App 311", "--channel", "mobile")
    assert ApiKey.objects.get(name="App 311").channel == "mobile"


def test_the_command_refuses_unknown_channels(db):
    with pytest.raises(CommandError):
        issue_by_command("App", "--channel", "fax")
    assert not ApiKey.objects.exists()


def test_every_key_is_different(db):
    assert issue_by_command("A") != issue_by_command("A")


def test_an_administrator_issues_a_key_in_the_admin_and_sees_it_once(client, world):
    login_verified(client, world.admin)  # the admin asks for the second factor
    response = client.post("/admin/open311/apikey/add/", {"name": "Diario La Prensa", "channel": "api"}, follow=True)
    assert response.status_code == 200
    key = ApiKey.objects.get(name="Diario La Prensa")
    messages = " ".join(str(m) for m in response.context["messages"])
    raw = next(word.rstrip(".") for word in messages.split() if word.startswith(key.prefix + "."))
    assert key.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    listing = client.get("/admin/open311/apikey/").content.decode()
    assert "Diario La Prensa" in listing and raw not in listing


def test_an_administrator_revokes_keys_and_they_stop_working(client, world):
    key, raw = ApiKey.issue("Integrador")
    login_verified(client, world.admin)  # the admin asks for the second factor
    client.post("/admin/open311/apikey/", {"action": "revoke_keys", "_selected_action": [key.pk]})
    key.refresh_from_db()
    assert not key.is_active
    assert post(client, "json", form(world, api_key=raw)).status_code == 403


def test_entity_staff_cannot_manage_keys(client, world):
    client.login(username="alice", password=PASSWORD)
    assert client.get("/admin/open311/apikey/").status_code == 302
    assert not ApiKey.objects.exists()
