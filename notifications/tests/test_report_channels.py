"""The report forms record how the citizen wants to hear back, and the demo path: a report filed
through the portal leaves its e-mail as a file under var/mail/ once the worker ran."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from cases.models import CaseContact
from entities.models import District
from notifications.models import Message
from notifications.services import render
from open311.tests.helpers import errors, form, items, post

pytestmark = pytest.mark.django_db
FORM = "/reportar/BASURA-NO-RECOGIDA/"


@pytest.fixture
def api_key(db):
    from django.core.cache import cache

    from open311.models import ApiKey

    cache.clear()  # Open311's rate-limit counters are keyed by key id, which repeats between tests
    key, raw = ApiKey.issue("Ciudad App")
    key.raw = raw
    return key


def report(client, **fields):
    data = {
        "description": "La basura lleva una semana en la esquina.",
        "attr_tipo_desecho": "domestico",
        "district": District.objects.get(name="San Miguelito").code,
    }
    data.update(fields)
    response = client.post(FORM, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    return CaseContact.objects.get()


def test_the_report_form_offers_sms_and_whatsapp(client, world):
    page = client.get(FORM).content.decode()
    assert 'name="notify_sms"' in page and 'name="notify_whatsapp"' in page


def test_a_citizen_who_ticks_whatsapp_gets_whatsapp_and_email(client, world):
    contact = report(client, contact_email="ana@example.com", contact_phone="6123-4567", notify_whatsapp="on")
    assert (contact.notify_email, contact.notify_sms, contact.notify_whatsapp) == (True, False, True)
    assert sorted(Message.objects.values_list("channel", flat=True)) == ["email", "whatsapp"]


def test_with_only_a_phone_and_nothing_ticked_the_default_is_sms(client, world):
    contact = report(client, contact_phone="6123-4567")
    assert (contact.notify_email, contact.notify_sms, contact.notify_whatsapp) == (False, True, False)


def test_open311_takes_the_notification_choices(client, world, api_key):
    data = form(world, api_key=api_key.raw, email="ana@example.com", phone="6123-4567", notify_sms="true", notify_email="false")
    (receipt,) = items(post(client, "json", data), "json")
    contact = CaseContact.objects.get(case__number=receipt["service_request_id"])
    assert (contact.notify_email, contact.notify_sms, contact.notify_whatsapp) == (False, True, False)
    assert list(Message.objects.values_list("channel", flat=True)) == ["sms"]


def test_open311_refuses_a_choice_that_is_not_a_boolean(client, world, api_key):
    response = post(client, "json", form(world, api_key=api_key.raw, phone="6123-4567", notify_sms="perhaps"))
    assert response.status_code == 400
    assert errors(response, "json")[0][1].startswith("notify_sms:")
    assert not Message.objects.exists()


def test_the_demo_path_leaves_the_email_under_var_mail(client, world, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "var" / "mail")
    contact = report(client, contact_email="ana@example.com")
    call_command("worker", "--once", "--outbox-only")
    [mail] = list((tmp_path / "var" / "mail").iterdir())
    text = mail.read_text()
    assert contact.case.number in text and "To: ana@example.com" in text
    assert f"/seguimiento/{contact.case.tracking_token}/" in text


def test_the_unsubscribe_link_stops_messages(client, world):
    contact = report(client, contact_email="ana@example.com")
    [message] = [render(m) for m in Message.objects.all()]
    link = next(line for line in message.body.splitlines() if "/mensajes/baja/" in line).split("http://127.0.0.1:8000")[1]
    page = client.get(link)
    assert page.status_code == 200 and contact.case.number in page.content.decode()
    contact.refresh_from_db()
    assert contact.messages_stopped_at is None  # a GET (a mail scanner following links) changes nothing
    done = client.post(link)
    assert "No recibirá más mensajes" in done.content.decode()
    contact.refresh_from_db()
    assert contact.messages_stopped_at is not None
    assert Message.objects.get().status == Message.Status.CANCELLED
    assert client.get(link[:-5] + "xxxx/").status_code == 404
