"""Signing in to the back office: password, then a TOTP code (QR enrolment the first time); lockout per
username and client address; idle expiry; sign out and sign out everywhere; the admin's second factor."""

from __future__ import annotations

import re
import time
from io import StringIO
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django_otp.plugins.otp_totp.models import TOTPDevice

from backoffice.middleware import LAST_SEEN_KEY
from backoffice.testing import current_code, device_for, login_verified
from ventanilla.testing import PASSWORD

QUEUE = "/oficina/"
SIGNIN = "/oficina/entrar/"


def password_step(client, username, password=PASSWORD, ip="10.0.0.1"):
    return client.post(SIGNIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def code_step(client, code, ip="10.0.0.1", path="/oficina/entrar/codigo/"):
    return client.post(path, {"code": code}, REMOTE_ADDR=ip)


def test_first_sign_in_enrols_a_totp_device_with_a_qr_code(client, world):
    response = password_step(client, "alice")
    assert response.status_code == 302 and response["Location"].endswith("/oficina/entrar/alta/")
    page = client.get("/oficina/entrar/alta/", REMOTE_ADDR="10.0.0.1")
    html = page.content.decode()
    assert "<svg" in html and "data-secret" in html
    device = TOTPDevice.objects.get(user=world.alice)
    assert not device.confirmed
    secret = re.search(r'data-secret>([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    from base64 import b32decode

    assert b32decode(secret) == device.bin_key
    # Not signed in yet: the queue still sends to the sign-in page.
    assert client.get(QUEUE).status_code == 302
    response = code_step(client, current_code(device), path="/oficina/entrar/alta/")
    assert response.status_code == 302 and response["Location"] == QUEUE
    device.refresh_from_db()
    assert device.confirmed
    assert client.get(QUEUE).status_code == 200


def test_a_wrong_code_does_not_sign_in_and_the_right_one_does(client, world):
    device = device_for(world.alice)
    assert password_step(client, "alice")["Location"].endswith("/oficina/entrar/codigo/")
    wrong = f"{(int(current_code(device)) + 1) % 1000000:06d}"
    response = code_step(client, wrong)
    assert response.status_code == 400
    assert "no es correcto" in response.content.decode() or "not right" in response.content.decode()
    assert client.get(QUEUE).status_code == 302
    assert code_step(client, current_code(device))["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200


def test_a_wrong_password_is_refused_with_a_message(client, world):
    response = password_step(client, "alice", "not-the-password")
    assert response.status_code == 200
    assert "no es correcta" in response.content.decode()
    assert client.get("/oficina/entrar/codigo/").status_code == 302


def test_next_keeps_the_page_asked_for_and_refuses_other_sites(client, world):
    device = device_for(world.alice)
    client.post(SIGNIN + "?next=/oficina/casos/2026-000001/", {"username": "alice", "password": PASSWORD})
    assert code_step(client, current_code(device))["Location"] == "/oficina/casos/2026-000001/"
    other = Client()
    other.post(SIGNIN, {"username": "bob", "password": PASSWORD, "next": "https://evil.example/"})
    assert code_step(other, current_code(device_for(world.bob)))["Location"] == QUEUE


def test_repeated_failures_lock_out_that_username_from_that_address_only(client, world):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        password_step(client, "alice", "wrong", ip="10.0.0.66")
    locked = password_step(client, "alice", PASSWORD, ip="10.0.0.66")
    assert locked.status_code == 429
    assert "data-locked-out" in locked.content.decode()
    # Alice from her own desk, and a colleague from the attacker's address, still sign in.
    assert password_step(Client(), "alice", PASSWORD, ip="10.0.0.2").status_code == 302
    assert password_step(Client(), "bob", PASSWORD, ip="10.0.0.66").status_code == 302


def test_wrong_codes_count_towards_the_lockout(client, world):
    device = device_for(world.alice)
    wrong = f"{(int(current_code(device)) + 7) % 1000000:06d}"
    password_step(client, "alice")
    responses = [code_step(client, wrong) for _ in range(settings.AXES_FAILURE_LIMIT)]
    assert responses[-1].status_code == 429
    assert code_step(client, current_code(device)).status_code == 429
    assert client.get(QUEUE).status_code == 302


def test_back_office_pages_need_the_second_factor(client, world):
    client.force_login(world.alice)  # a password-only session, however it came about
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith(SIGNIN)


def test_people_without_a_back_office_role_are_refused(client, world):
    login_verified(client, world.charlie)
    assert client.get(QUEUE).status_code == 403


def test_the_admin_requires_the_second_factor_too(client, world):
    client.force_login(world.admin)
    response = client.get("/admin/")
    assert response.status_code == 302
    assert client.get(response["Location"])["Location"].startswith(SIGNIN)
    client.logout()
    login_verified(client, world.admin)
    assert client.get("/admin/").status_code == 200


def test_a_session_ends_after_inactivity(client, world, settings):
    login_verified(client, world.alice)
    assert client.get(QUEUE).status_code == 200
    session = client.session
    session[LAST_SEEN_KEY] = int(time.time()) - settings.STAFF_SESSION_IDLE_MINUTES * 60 - 5
    session.save()
    response = client.get(QUEUE)
    assert response.status_code == 302 and response["Location"].startswith(SIGNIN)
    assert client.get(QUEUE).status_code == 302


def test_sign_out_and_sign_out_everywhere(world):
    laptop, tablet, other = Client(), Client(), Client()
    for client in (laptop, tablet):
        login_verified(client, world.alice)
    login_verified(other, world.bob)
    assert laptop.post("/oficina/salir/todas/").status_code == 302
    assert laptop.get(QUEUE).status_code == 302
    assert tablet.get(QUEUE).status_code == 302  # signed out there too
    assert other.get(QUEUE).status_code == 200  # nobody else
    login_verified(tablet, world.alice)  # a new sign-in works again
    assert tablet.get(QUEUE).status_code == 200
    tablet.post("/oficina/salir/")
    assert tablet.get(QUEUE).status_code == 302


def test_load_demo_gives_demo_staff_the_totp_secret_published_in_the_docs(db, client):
    from backoffice.demo import DEMO_TOTP_SECRET
    from cases.management.commands.load_demo import DEMO_PASSWORD

    call_command("load_demo", force=True, cases=0, stdout=StringIO())
    doc = Path(settings.BASE_DIR, "docs", "demo.md").read_text(encoding="utf-8")
    assert DEMO_TOTP_SECRET in doc and DEMO_PASSWORD in doc
    device = TOTPDevice.objects.get(user__username="supervisor.munsm")
    client.post(SIGNIN, {"username": "supervisor.munsm", "password": DEMO_PASSWORD})
    assert code_step(client, current_code(device))["Location"] == QUEUE
    assert client.get(QUEUE).status_code == 200
