"""The gateway's webhook /mensajes/entrante/ end to end: signed requests only, status by case number,
answers to information requests, BAJA, and nothing revealed to a phone that is not the contact."""

import json
import time

import pytest
from django.core.cache import cache

from cases import services
from cases.models import CaseContact, CaseEvent, Channel, State
from cases.services import Actor
from notifications import outbox
from notifications.gateways import sign
from notifications.models import Message
from ventanilla.testing import new_case

pytestmark = pytest.mark.django_db
URL = "/mensajes/entrante/"
PHONE = "+50761234567"


@pytest.fixture(autouse=True)
def _secret(settings):
    settings.INBOUND_WEBHOOK_SECRET = "inbound-secret"
    cache.clear()


def post(client, text, phone=PHONE, channel="sms", *, secret="inbound-secret", timestamp=None, body=None):
    raw = body if body is not None else json.dumps({"from": phone, "text": text, "channel": channel}).encode()
    ts = str(int(time.time()) if timestamp is None else timestamp)
    return client.post(
        URL, data=raw, content_type="application/json",
        headers={"X-Ventanilla-Timestamp": ts, "X-Ventanilla-Signature": "sha256=" + sign(secret, ts, raw)},
    )


def reply(response):
    assert response.status_code == 200, response.content
    return response.json()["reply"]


def waiting_case(world, **fields):
    case = new_case(world, contact_phone="6123-4567", notify_sms=True, **fields)
    services.transition(case, "assign", Actor(user=world.admin), assignee=world.admin)
    services.request_info(case, Actor(user=world.admin), "¿Desde qué hora no tiene agua?")
    return case


def test_a_get_answers_405_with_a_short_text(client):
    response = client.get(URL)
    assert response.status_code == 405
    assert "POST" in response.content.decode()


def test_an_unsigned_request_is_refused(client, world):
    new_case(world, contact_phone="6123-4567")
    response = client.post(URL, data={"from": PHONE, "text": "ESTADO"})
    assert response.status_code == 403
    assert "not signed" in response.json()["error"]


def test_a_bad_signature_is_refused(client, world):
    new_case(world, contact_phone="6123-4567")
    assert post(client, "ESTADO", secret="wrong").status_code == 403


def test_an_old_timestamp_is_refused(client, world):
    assert post(client, "ESTADO", timestamp=int(time.time()) - 3600).status_code == 403


def test_a_replayed_request_is_refused(client, world):
    case = new_case(world, contact_phone="6123-4567")
    raw = json.dumps({"from": PHONE, "text": case.number}).encode()
    ts = str(int(time.time()))
    headers = {"X-Ventanilla-Timestamp": ts, "X-Ventanilla-Signature": "sha256=" + sign("inbound-secret", ts, raw)}
    assert client.post(URL, data=raw, content_type="application/json", headers=headers).status_code == 200
    again = client.post(URL, data=raw, content_type="application/json", headers=headers)
    assert again.status_code == 409


def test_the_contact_gets_the_state_and_last_public_update_by_number(client, world):
    case = waiting_case(world)
    text = reply(post(client, f"ESTADO {case.number}"))
    assert case.number in text and "En espera del ciudadano" in text
    assert "Ultima novedad: ¿Desde qué hora no tiene agua?" in text  # GSM-7: Ú becomes U, é and ¿ stay
    assert f"/seguimiento/{case.tracking_token}/" in text
    assert reply(post(client, case.number)) == text  # the number alone works too


def test_the_answer_is_in_the_contacts_language(client, world):
    case = new_case(world, contact_phone="6123-4567", language="en")
    assert "is Received" in reply(post(client, f"status {case.number}"))


def test_a_number_never_reveals_a_case_to_another_phone(client, world):
    case = new_case(world, contact_phone="6123-4567")
    new_case(world, contact_phone="6999-0000")
    mine = reply(post(client, case.number, phone="+50769990000"))
    nobody = reply(post(client, "2026-999999", phone="+50769990000"))
    assert case.tracking_token not in mine
    assert mine.replace(case.number, "N") == nobody.replace("2026-999999", "N")


def test_an_unknown_phone_gets_a_helpful_answer(client, world):
    new_case(world, contact_phone="6123-4567")
    text = reply(post(client, "ESTADO 2026-000001", phone="+50760000001"))
    assert "311" in text and "/reportar/" in text


def test_a_sensitive_case_never_answers_by_text(client, world):
    case = new_case(world, category=world.corruption, contact_phone="6123-4567", contact_email="d@example.com")
    text = reply(post(client, f"ESTADO {case.number}"))
    assert "no se puede seguir por mensaje" in text
    assert case.get_state_display() not in text and case.tracking_token not in text


def test_a_reply_answers_the_information_request(client, world):
    case = waiting_case(world)
    text = reply(post(client, "Desde las 6 de la mañana", channel="whatsapp"))
    assert case.number in text
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS
    event = case.events.get(kind=CaseEvent.Kind.CITIZEN_REPLIED)
    assert event.message == "Desde las 6 de la mañana" and event.channel == Channel.WHATSAPP


def test_baja_stops_messages_and_cancels_pending_ones(client, world):
    case = waiting_case(world)
    assert Message.objects.filter(case=case, status=Message.Status.PENDING).exists()
    text = reply(post(client, "baja"))
    assert "no recibira mas mensajes" in text  # transliterated to GSM-7
    assert CaseContact.objects.get(case=case).messages_stopped_at is not None
    assert not Message.objects.filter(case=case, status=Message.Status.PENDING).exists()
    services.resolve(case, Actor(user=world.admin), "Listo.")
    assert not Message.objects.filter(case=case, kind=Message.Kind.RESOLVED).exists()
    assert outbox.drain().sent == 0


def test_control_characters_and_a_10_kb_body_get_a_clear_answer(client, world):
    case = waiting_case(world)
    assert "demasiado largo" in reply(post(client, "x" * 10_000))
    case.refresh_from_db()
    assert case.state == State.WAITING_CITIZEN
    text = reply(post(client, f"ESTADO\x00\x07 {case.number}\x1b"))
    assert case.number in text


def test_malformed_bodies_get_a_clear_error(client, world):
    assert post(client, "", body=b"{not json").status_code == 400
    assert post(client, "hola", channel="fax").status_code == 400
    assert post(client, "hola", phone="").status_code == 400


def test_one_phone_is_rate_limited(client, world, settings):
    settings.INBOUND_MESSAGES_PER_HOUR = 3
    new_case(world, contact_phone="6123-4567")
    codes = [post(client, f"ESTADO {i}").status_code for i in range(4)]
    assert codes == [200, 200, 200, 429]
    assert post(client, "ESTADO", phone="+50760000002").status_code == 200
