"""The worker sends through real providers running locally: the HTTP gateway (signed, idempotent),
SMTP (aiosmtpd) and the demo's files; failures retry with backoff and end as failed."""

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from cases import services
from cases.services import Actor
from notifications import jobs, outbox
from notifications.models import Message
from notifications.testing import FakeGateway, RecordingSMTP
from ventanilla.testing import new_case
from backoffice.testing import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def gateway(settings):
    with FakeGateway() as fake:
        settings.TEXT_GATEWAY_BACKEND = "notifications.gateways.HttpGateway"
        settings.TEXT_GATEWAY_URL = fake.url
        settings.TEXT_GATEWAY_KEY = fake.key
        settings.TEXT_GATEWAY_TIMEOUT_SECONDS = 2
        yield fake


@pytest.fixture
def smtp(settings):
    with RecordingSMTP() as server:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", server.port
        yield server


def sms_case(world):
    return new_case(world, contact_phone="6123-4567", notify_sms=True, notify_email=False)


def make_due(message_ids):
    Message.objects.filter(pk__in=message_ids).update(next_attempt_at=timezone.now() - timedelta(seconds=1))


def test_an_sms_goes_through_the_http_gateway_signed_and_with_its_idempotency_key(world, gateway):
    case = sms_case(world)
    result = outbox.drain()
    assert result.sent == 1
    [request] = gateway.requests
    message = Message.objects.get(case=case)
    assert request["key"] == str(message.uuid)
    assert request["body"]["to"] == "+50761234567"
    assert case.number in request["body"]["text"]
    assert gateway.bad_signatures == 0
    assert message.status == Message.Status.SENT and message.sent_at is not None
    assert message.provider_reference == f"gw-{str(message.uuid)[:8]}"


def test_a_wrong_key_is_refused_by_the_gateway_and_ends_failed_at_once(world, gateway, settings):
    settings.TEXT_GATEWAY_KEY = "not-the-key"
    case = sms_case(world)
    assert outbox.drain().failed == 1
    message = Message.objects.get(case=case)
    assert message.status == Message.Status.FAILED
    assert "HTTP 401" in message.last_error
    assert gateway.deliveries == {}


def test_a_gateway_answering_500_is_retried_with_backoff_then_delivered(world, gateway, settings):
    gateway.script = [500, 503]
    case = sms_case(world)
    message = Message.objects.get(case=case)
    assert outbox.drain().retried == 1
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING and "HTTP 500" in message.last_error
    first_wait = message.next_attempt_at - timezone.now()
    assert timedelta(seconds=settings.NOTIFICATIONS_RETRY_BASE_SECONDS - 5) < first_wait
    assert outbox.drain().handled == 0  # not due yet
    make_due([message.pk])
    outbox.drain()
    message.refresh_from_db()
    second_wait = message.next_attempt_at - timezone.now()
    assert second_wait > first_wait  # exponential
    make_due([message.pk])
    assert outbox.drain().sent == 1
    assert len(gateway.deliveries) == 1 and len(gateway.requests) == 3
    assert {r["key"] for r in gateway.requests} == {str(message.uuid)}


def test_after_the_last_attempt_the_message_is_failed_with_its_reason(world, gateway, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    gateway.script = [500] * 5
    case = sms_case(world)
    message = Message.objects.get(case=case)
    for _ in range(3):
        make_due([message.pk])
        outbox.drain()
    message.refresh_from_db()
    assert message.status == Message.Status.FAILED
    assert message.attempts == 3 and "HTTP 500" in message.last_error


def test_a_gateway_timing_out_is_retried_and_the_worker_goes_on(world, gateway, settings):
    settings.TEXT_GATEWAY_TIMEOUT_SECONDS = 0.3
    gateway.delay = 1.0
    sms_case(world)
    new_case(world, contact_email="otra@example.com")
    result = outbox.drain()
    assert result.retried == 1 and result.sent == 1
    assert "unreachable" in Message.objects.get(channel="sms").last_error


def test_email_goes_through_smtp_with_the_message_id_fixed_at_creation(world, smtp):
    case = new_case(world, contact_email="vecina@example.com")
    message = Message.objects.get(case=case)
    assert outbox.drain().sent == 1
    [received] = smtp.messages
    assert received["to"] == ["vecina@example.com"]
    assert smtp.message_ids() == [message.message_id]
    assert "text/html" in received["data"] and "text/plain" in received["data"]


def test_an_smtp_server_refusing_for_now_is_retried(world, smtp):
    smtp.refuse = "451 Try again later"
    case = new_case(world, contact_email="vecina@example.com")
    assert outbox.drain().retried == 1
    message = Message.objects.get(case=case)
    assert "451" in message.last_error
    smtp.refuse = None
    make_due([message.pk])
    assert outbox.drain().sent == 1
    assert smtp.message_ids() == [message.message_id]


def test_an_smtp_server_refusing_for_good_fails_the_message(world, smtp):
    smtp.refuse = "554 Rejected"
    case = new_case(world, contact_email="vecina@example.com")
    assert outbox.drain().failed == 1
    assert "554" in Message.objects.get(case=case).last_error


def test_the_demo_writes_files_under_var(world, settings, tmp_path):
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(tmp_path / "mail")
    settings.TEXT_GATEWAY_BACKEND = "notifications.gateways.FileGateway"
    settings.TEXT_GATEWAY_DIR = tmp_path / "sms"
    case = new_case(world, contact_email="vecina@example.com", contact_phone="6123-4567", notify_sms=True)
    assert jobs.drain_outbox()["sent"] == 2
    [mail] = list((tmp_path / "mail").iterdir())
    assert case.number in mail.read_text()
    [text] = list((tmp_path / "sms").iterdir())
    assert json.loads(text.read_text())["to"] == "+50761234567"


def test_a_message_is_cancelled_when_the_citizen_stopped_before_it_was_sent(world, gateway):
    case = sms_case(world)
    from cases.models import CaseContact

    CaseContact.objects.filter(case=case).update(messages_stopped_at=timezone.now())
    assert outbox.drain().cancelled == 1
    assert gateway.requests == []


def test_a_claimed_message_is_not_taken_by_another_worker_until_its_lease_ends(world, settings):
    new_case(world, contact_email="vecina@example.com")
    [claimed] = outbox.claim("worker-a")
    assert outbox.claim("worker-b") == []
    later = timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS + 1)
    [taken_over] = outbox.claim("worker-b", now=later)
    assert taken_over.pk == claimed.pk and taken_over.attempts == 2


def test_an_administrator_can_retry_a_failed_message(world, client, gateway):
    gateway.script = [400]
    case = sms_case(world)
    outbox.drain()
    message = Message.objects.get(case=case)
    assert message.status == Message.Status.FAILED
    login_verified(client, world.admin)
    listing = client.get("/admin/notifications/message/?status__exact=failed")
    assert listing.status_code == 200 and "HTTP 400" in listing.content.decode()
    response = client.post("/admin/notifications/message/", {"action": "retry", "_selected_action": [message.pk]})
    assert response.status_code == 302
    message.refresh_from_db()
    assert message.status == Message.Status.PENDING and message.attempts == 0
    assert outbox.drain().sent == 1


def test_staff_cannot_see_the_messages_admin(world, client):
    client.force_login(world.alice)
    assert client.get("/admin/notifications/message/").status_code in (302, 403)


def test_nothing_is_sent_inside_the_request_that_causes_it(world, gateway):
    case = sms_case(world)
    services.transition(case, "assign", Actor(user=world.admin), assignee=world.admin)
    assert gateway.requests == []
    assert Message.objects.filter(case=case, status=Message.Status.PENDING).count() == 1
