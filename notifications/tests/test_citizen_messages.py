"""Each citizen message is produced by the real change that causes it, in the contact's language."""

import pytest
from django.db import transaction

from cases import services
from cases.models import RejectionReason
from cases.services import Actor
from notifications.models import Message
from notifications.services import render
from ventanilla.testing import new_case

pytestmark = pytest.mark.django_db


def file(world, **fields):
    fields.setdefault("contact_email", "vecina@example.com")
    return new_case(world, **fields)


def messages(case, kind=None):
    """The case's messages as they will be sent (the worker renders them before the first send)."""
    qs = Message.objects.filter(case=case)
    return [render(m) for m in (qs.filter(kind=kind) if kind else qs)]


def staff(world):
    return Actor(user=world.alice)


def working(world, **fields):
    """A water case in progress at IDAAN (assigned, started)."""
    case = file(world, **fields)
    services.transition(case, "assign", Actor(user=world.admin), assignee=world.admin)
    services.transition(case, "start", Actor(user=world.admin))
    return case


def test_the_change_writes_the_row_and_the_worker_renders_it_once(world):
    case = file(world)
    [row] = Message.objects.filter(case=case)
    assert (row.rendered, row.body, row.to) == (False, "", "vecina@example.com")
    render(row)
    stored = Message.objects.get(pk=row.pk)
    assert stored.rendered and case.number in stored.body
    assert render(stored).body == stored.body


def test_it_writes_the_received_message_in_spanish_by_default(world):
    case = file(world)
    [message] = messages(case, Message.Kind.RECEIVED)
    assert message.channel == Message.Channel.EMAIL
    assert message.to == "vecina@example.com"
    assert message.status == Message.Status.PENDING
    assert case.number in message.subject
    assert "Recibimos su reporte" in message.subject
    assert f"/seguimiento/{case.tracking_token}/" in message.body
    assert f"/seguimiento/{case.tracking_token}/" in message.html
    assert "/mensajes/baja/" in message.body
    assert message.message_id.startswith("<") and message.message_id.endswith(">")


def test_it_writes_in_english_for_an_english_contact(world):
    case = file(world, language="en")
    [message] = messages(case, Message.Kind.RECEIVED)
    assert message.subject == f"We received your report {case.number}"
    assert f"/en/seguimiento/{case.tracking_token}/" in message.body
    assert message.language == "en"


def test_sms_when_the_citizen_chose_it(world):
    case = file(world, contact_phone="6123-4567", notify_sms=True, notify_whatsapp=True)
    channels = sorted(m.channel for m in messages(case, Message.Kind.RECEIVED))
    assert channels == ["email", "sms", "whatsapp"]
    sms = next(m for m in messages(case) if m.channel == "sms")
    assert sms.to == "+50761234567"
    assert case.number in sms.body and "BAJA" in sms.body


def test_nothing_for_anonymous_cases(world):
    case = new_case(world, category=world.corruption, is_anonymous=True)
    assert messages(case) == []


def test_nothing_without_contact(world):
    assert messages(new_case(world)) == []


def test_rollback_of_the_change_leaves_no_message(world):
    case = working(world)
    before = Message.objects.count()
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            services.request_info(case, Actor(user=world.admin), "¿Desde qué hora no tiene agua?")
            assert Message.objects.count() == before + 1
            raise RuntimeError("the change fails after its event was recorded")
    assert Message.objects.count() == before
    assert messages(case, Message.Kind.INFO_REQUESTED) == []


@pytest.mark.parametrize("language, expected", [("es", "necesitamos más información"), ("en", "we need more information")])
def test_info_requested_carries_the_question(world, language, expected):
    case = working(world, language=language)
    services.request_info(case, Actor(user=world.admin), "¿Desde qué hora no tiene agua?")
    [message] = messages(case, Message.Kind.INFO_REQUESTED)
    assert expected in message.subject
    assert "¿Desde qué hora no tiene agua?" in message.body


@pytest.mark.parametrize("language, expected", [("es", "fue trasladado"), ("en", "was transferred")])
def test_transferred_says_to_whom_and_why(world, language, expected):
    case = file(world, language=language)
    services.transfer(case, world.sinaproc, Actor(user=world.admin), "Es una inundación, no falta de agua.")
    [message] = messages(case, Message.Kind.TRANSFERRED)
    assert expected in message.subject
    assert world.sinaproc.name in message.body
    assert "Es una inundación" in message.body


@pytest.mark.parametrize("language, expected", [("es", "fue resuelto"), ("en", "was resolved")])
def test_resolved_carries_the_answer_and_the_survey_link(world, language, expected):
    case = working(world, language=language)
    services.resolve(case, Actor(user=world.admin), "Se reparó la tubería.")
    [message] = messages(case, Message.Kind.RESOLVED)
    assert expected in message.subject
    assert "Se reparó la tubería." in message.body
    assert f"/encuesta/{case.tracking_token}/" in message.body


@pytest.mark.parametrize("language, reopened, closed", [("es", "fue reabierto", "está cerrado"), ("en", "was reopened", "is closed")])
def test_reopened_and_closed(world, language, reopened, closed):
    case = working(world, language=language)
    services.resolve(case, Actor(user=world.admin), "Se reparó la tubería.")
    services.citizen_reopen(case, "Sigue sin agua.")
    assert reopened in messages(case, Message.Kind.REOPENED)[0].subject
    services.resolve(case, Actor(user=world.admin), "Ahora sí.")
    services.transition(case, "close", Actor())
    assert closed in messages(case, Message.Kind.CLOSED)[0].subject


@pytest.mark.parametrize("language, merged", [("es", "fue unido al caso"), ("en", "was merged into case")])
def test_duplicates_hear_of_the_merge_and_of_the_original_resolution(world, language, merged):
    original = working(world, contact_email="primera@example.com", contact_name="Primera Vecina")
    duplicate = file(world, contact_email="segunda@example.com", language=language)
    services.reject(duplicate, RejectionReason.DUPLICATE, Actor(user=world.admin), duplicate_of=original)
    [message] = messages(duplicate, Message.Kind.MERGED)
    assert merged in message.subject and original.number in message.subject
    services.resolve(original, Actor(user=world.admin), "Se reparó la tubería.")
    [follow] = messages(duplicate, Message.Kind.ORIGINAL_RESOLVED)
    assert follow.to == "segunda@example.com"
    assert "Se reparó la tubería." in follow.body and original.number in follow.body
    # Nothing of the other reporter: not their name, address or tracking link.
    for text in (follow.body, follow.html, message.body):
        assert "Primera" not in text and "primera@example.com" not in text
        assert original.tracking_token not in text


def test_no_message_after_the_contact_stopped_them(world):
    case = working(world)
    case.contact.messages_stopped_at = case.created_at
    case.contact.save()
    services.resolve(case, Actor(user=world.admin), "Se reparó la tubería.")
    assert messages(case, Message.Kind.RESOLVED) == []


def test_sensitive_cases_are_never_mentioned_by_text_message(world):
    case = new_case(world, category=world.corruption, contact_email="d@example.com", contact_phone="6123-4567",
                    notify_sms=True, notify_whatsapp=True)
    assert [m.channel for m in messages(case)] == ["email"]


def test_imported_history_sends_nothing(world):
    from cases.models import Case

    case = working(world)
    Case.objects.filter(pk=case.pk).update(source="legacy311", source_id="A-1")
    case.refresh_from_db()
    services.resolve(case, Actor(user=world.admin), "Se reparó la tubería.")
    assert messages(case, Message.Kind.RESOLVED) == []
