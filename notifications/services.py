"""Writing messages into the outbox. Called inside the transaction of the change that causes them (the
`event_recorded` receiver, the jobs, other apps through `notify_staff`), so a rollback takes them away;
the worker sends them later (notifications/outbox.py)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation

from cases.models import Case, CaseContact, CaseEvent, RejectionReason

from .content import Content, assigned_content, citizen_content
from .models import Message

logger = logging.getLogger(__name__)

# Which citizen message an event of the case's own timeline produces.
CITIZEN_MESSAGE_OF_EVENT = {
    CaseEvent.Kind.CREATED: Message.Kind.RECEIVED,
    CaseEvent.Kind.INFO_REQUESTED: Message.Kind.INFO_REQUESTED,
    CaseEvent.Kind.TRANSFERRED: Message.Kind.TRANSFERRED,
    CaseEvent.Kind.RESOLVED: Message.Kind.RESOLVED,
    CaseEvent.Kind.REOPENED: Message.Kind.REOPENED,
    CaseEvent.Kind.CLOSED: Message.Kind.CLOSED,
}
ASSIGNMENT_EVENTS = {CaseEvent.Kind.ASSIGNED, CaseEvent.Kind.REASSIGNED}
TEXT_CHANNELS = (Message.Channel.SMS, Message.Channel.WHATSAPP)


def on_event_recorded(sender, event: CaseEvent, **kwargs) -> None:
    """The receiver of cases.events.event_recorded: rows only, no network."""
    case = event.case
    if case.is_imported:
        return  # history loaded from a legacy system: its citizens heard about it back then
    kind = event.kind
    key = f"event:{event.pk or f'{case.pk}:{kind}'}"
    if kind in CITIZEN_MESSAGE_OF_EVENT:
        notify_contact(case, CITIZEN_MESSAGE_OF_EVENT[kind], key=key, event=event)
    if kind == CaseEvent.Kind.REJECTED and case.rejection_reason == RejectionReason.DUPLICATE and case.duplicate_of_id:
        notify_contact(case, Message.Kind.MERGED, key=key, event=event, original=case.duplicate_of)
    if kind == CaseEvent.Kind.RESOLVED:
        for contact in duplicate_followers(case):
            notify_contact(
                contact.case, Message.Kind.ORIGINAL_RESOLVED, key=f"{key}:follower:{contact.case_id}",
                event=event, original=case, contact=contact,
            )
    if kind in ASSIGNMENT_EVENTS and case.assignee_id and case.assignee_id != event.actor_id:
        notify_assignee(case, key=key)


def duplicate_followers(case: Case):
    """The contacts of the cases merged into `case` who still want news: `cases.services.followers_of`
    without the case's own reporter (who gets the ordinary resolution message)."""
    from cases.services import followers_of

    return followers_of(case).exclude(case=case).select_related("case", "case__category", "case__entity")


def contact_channels(contact: CaseContact, case: Case) -> list[tuple[str, str]]:
    """(channel, address) pairs the contact chose. A sensitive case is never mentioned by text message:
    a phone's lock screen is read by whoever holds it; e-mail only."""
    channels = []
    if contact.notify_email and contact.email:
        channels.append((Message.Channel.EMAIL, contact.email))
    if contact.phone_normalized and not case.category.sensitive:
        if contact.notify_sms:
            channels.append((Message.Channel.SMS, contact.phone_normalized))
        if contact.notify_whatsapp:
            channels.append((Message.Channel.WHATSAPP, contact.phone_normalized))
    return channels


def notify_contact(
    case: Case, kind: str, *, key: str, event: CaseEvent | None = None, original: Case | None = None,
    contact: CaseContact | None = None,
) -> list[Message]:
    """Write the messages of one kind to a case's reporter, on every channel they chose. Nothing for
    anonymous cases, cases without contact, or a contact who asked to stop."""
    if case.is_anonymous:
        return []
    if contact is None:
        try:
            # The intake has just created the contact on this same case object: no query then.
            contact = case.contact
        except CaseContact.DoesNotExist:
            return []
    if contact is None or contact.messages_stopped_at is not None:
        return []
    channels = contact_channels(contact, case)
    if not channels:
        return []
    # Only the row is written here, inside the change's transaction: the worker renders the text just
    # before the first send (render_pending), which keeps the change itself fast.
    context = {"event": event.pk if event else None, "original": original.pk if original else None}
    messages = [
        build_message(kind, channel, address, f"{key}:{kind}:{channel}", None, case=case,
                      language=contact.language or settings.LANGUAGE_CODE, context=context)
        for channel, address in channels
    ]
    return write(messages, check_existing=event is None)


def render(message: Message) -> Message:
    """Fill the subject and bodies of a message written unrendered, in its language. Idempotent."""
    if message.rendered:
        return message
    case = Case.objects.select_related("category", "entity").get(pk=message.case_id)
    event = CaseEvent.objects.filter(pk=message.context.get("event")).first() if message.context.get("event") else None
    original = Case.objects.filter(pk=message.context.get("original")).first() if message.context.get("original") else None
    with translation.override(message.language or settings.LANGUAGE_CODE):
        content = citizen_content(message.kind, case, event=event, original=original)
    fill(message, content)
    message.rendered = True
    Message.objects.filter(pk=message.pk, rendered=False).update(
        subject=message.subject, body=message.body, html=message.html, rendered=True
    )
    return message


def notify_assignee(case: Case, *, key: str) -> list[Message]:
    user = case.assignee
    with translation.override(settings.LANGUAGE_CODE):
        content = assigned_content(case)
    return write_staff(user, Message.Kind.ASSIGNED, content, key=f"{key}:assigned:{user.pk}", case=case)


def notify_staff(user, subject: str, body: str, *, key: str) -> Message | None:
    """A notice to one staff member by e-mail (the operations board's unacknowledged alerts use it).
    `key` makes it idempotent: the same key for the same user writes one message, however often called."""
    content = Content(str(subject), [str(body)])
    write_staff(user, Message.Kind.STAFF, content, key=f"staff:{key}:{user.pk}")
    return Message.objects.filter(key=f"staff:{key}:{user.pk}:{Message.Kind.STAFF}:email"[:200]).first()


def write_staff(user, kind: str, content: Content, *, key: str, case: Case | None = None) -> list[Message]:
    if not user or not user.is_active or not user.email:
        return []
    message = build_message(
        kind, Message.Channel.EMAIL, user.email, f"{key}:{kind}:email", content, case=case,
        language=settings.LANGUAGE_CODE, recipient_user=user,
    )
    return write([message])


def build_message(
    kind: str, channel: str, to: str, key: str, content: Content | None, *, case=None, language: str,
    recipient_user=None, context: dict | None = None,
) -> Message:
    """A message row; without `content` it is rendered later by `render()` (from `context`)."""
    message = Message(
        key=key[:200], kind=kind, channel=channel, to=to, case=case, language=language,
        recipient_user=recipient_user, next_attempt_at=timezone.now(), context=context or {},
        rendered=content is not None,
    )
    message.message_id = f"<{message.uuid}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"
    if content is not None:
        fill(message, content)
    return message


def fill(message: Message, content: Content) -> None:
    if message.channel == Message.Channel.EMAIL:
        message.subject = content.subject[:300]
        message.body, message.html = content.email_bodies()
    else:
        message.body = content.text


def write(messages: list[Message], *, check_existing: bool = True) -> list[Message]:
    """Insert, skipping keys already written (the same cause twice writes one message). Returns the new
    ones. Keys made of a fresh event's id cannot exist yet: the check is skipped, the constraint stays."""
    if not messages:
        return []
    existing = set()
    if check_existing:
        existing = set(Message.objects.filter(key__in=[m.key for m in messages]).values_list("key", flat=True))
    fresh = [m for m in messages if m.key not in existing]
    # ignore_conflicts covers a concurrent writer of the same key between the check and the insert.
    Message.objects.bulk_create(fresh, ignore_conflicts=True)
    return fresh


@transaction.atomic
def stop_messages(contact: CaseContact) -> int:
    """The citizen unsubscribed (link or BAJA): no more messages about this case, pending ones cancelled."""
    if contact.messages_stopped_at is None:
        CaseContact.objects.filter(pk=contact.pk).update(messages_stopped_at=timezone.now())
        contact.messages_stopped_at = timezone.now()
    return cancel_pending(case_ids=[contact.case_id], reason="The citizen stopped messages about this case.")


def cancel_pending(*, case_ids, reason: str) -> int:
    return Message.objects.filter(
        # A message being sent right now is left to its worker, which checks the stop before sending.
        case_id__in=case_ids, recipient_user__isnull=True, status=Message.Status.PENDING
    ).update(status=Message.Status.CANCELLED, last_error=reason, lease_until=None)


def retry(messages) -> int:
    """An administrator's "retry": failed or cancelled messages go back to the queue with fresh attempts."""
    return messages.filter(status__in=[Message.Status.FAILED, Message.Status.CANCELLED]).update(
        status=Message.Status.PENDING, attempts=0, next_attempt_at=timezone.now(), lease_until=None, leased_by=""
    )
