"""Draining the outbox: claim due messages under a lease, send each, mark it sent only once the
provider accepted it; failures go back with exponential backoff and end as failed after
NOTIFICATIONS_MAX_ATTEMPTS.

Exactly once as the citizen sees it: a worker that dies mid-send leaves its messages `sending` with a
lease; nobody touches them until the lease ends, then another worker sends them again with the same
idempotency key (HTTP gateway) or Message-ID (e-mail), so the provider recognises the resend."""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.core.mail import get_connection
from django.db.models import F, Q
from django.utils import timezone

from cases.models import CaseContact

from .gateways import DeliveryFailure, PermanentFailure, deliver
from .models import Message

logger = logging.getLogger(__name__)


def worker_name() -> str:
    return f"{socket.gethostname()[:30]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


@dataclass
class DrainResult:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    cancelled: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.cancelled


def claim(worker: str, limit: int | None = None, now=None) -> list[Message]:
    """Take up to `limit` due messages for `worker`: pending ones whose time has come and `sending` ones
    whose lease ran out. SKIP LOCKED on PostgreSQL lets several workers claim side by side; SQLite's
    write lock serialises the claim instead."""
    now = now or timezone.now()
    limit = limit or settings.NOTIFICATIONS_BATCH_SIZE
    lease_until = now + timedelta(seconds=settings.NOTIFICATIONS_LEASE_SECONDS)
    due = Message.objects.filter(
        Q(status=Message.Status.PENDING, next_attempt_at__lte=now)
        | Q(status=Message.Status.SENDING, lease_until__lt=now)
    ).order_by("next_attempt_at", "pk")
    with transaction.atomic():
        if connection.features.has_select_for_update_skip_locked:
            due = due.select_for_update(skip_locked=True)
        ids = list(due.values_list("pk", flat=True)[:limit])
        if not ids:
            return []
        Message.objects.filter(pk__in=ids).update(
            status=Message.Status.SENDING, lease_until=lease_until, leased_by=worker, attempts=F("attempts") + 1
        )
    return list(Message.objects.filter(pk__in=ids, leased_by=worker).select_related("case").order_by("next_attempt_at", "pk"))


def backoff(attempts: int) -> timedelta:
    seconds = settings.NOTIFICATIONS_RETRY_BASE_SECONDS * (2 ** max(attempts - 1, 0))
    return timedelta(seconds=min(seconds, settings.NOTIFICATIONS_RETRY_MAX_SECONDS))


def _mine(message: Message, worker: str):
    return Message.objects.filter(pk=message.pk, leased_by=worker, status=Message.Status.SENDING)


def stopped_cases(messages: list[Message]) -> set[int]:
    """Cases whose citizen asked to stop after their messages were written (BAJA, the unsubscribe link)."""
    case_ids = {m.case_id for m in messages if m.case_id and m.recipient_user_id is None}
    if not case_ids:
        return set()
    return set(
        CaseContact.objects.filter(case_id__in=case_ids, messages_stopped_at__isnull=False).values_list("case_id", flat=True)
    )


class EmailConnection:
    """One SMTP connection for a batch (a new one after a failure). The file backend of the demo gets a
    connection per message instead, so that each message is a file of its own under var/mail/."""

    def __init__(self) -> None:
        self.connection = None
        self.shared = not settings.EMAIL_BACKEND.endswith("filebased.EmailBackend")

    def get(self):
        if not self.shared:
            return None
        if self.connection is None:
            self.connection = get_connection(timeout=settings.EMAIL_TIMEOUT)
        return self.connection

    def reset(self) -> None:
        if self.connection is not None:
            try:
                self.connection.close()
            except Exception:  # closing a broken connection may fail too; it is dropped either way  # noqa: S110 - closing a broken connection may fail; it is dropped either way
                pass
        self.connection = None


def send_one(message: Message, worker: str, *, stopped: bool = False, email: EmailConnection | None = None) -> str:
    """Send one claimed message and record the outcome. Returns the outcome's name."""
    if stopped:
        _mine(message, worker).update(
            status=Message.Status.CANCELLED, lease_until=None, last_error="The citizen stopped messages about this case."
        )
        return "cancelled"
    try:
        if not message.rendered:
            from .services import render

            render(message)
        reference = deliver(message, email_connection=email.get() if email and message.channel == "email" else None)
    except DeliveryFailure as error:
        if email:
            email.reset()
        return _failed(message, worker, str(error), permanent=isinstance(error, PermanentFailure))
    except Exception as error:  # a bug or an unexpected provider answer must not stop the worker
        if email:
            email.reset()
        logger.exception("Unexpected error sending message %s", message.pk)
        return _failed(message, worker, f"{type(error).__name__}: {error}", permanent=False)
    _mine(message, worker).update(
        status=Message.Status.SENT, sent_at=timezone.now(), lease_until=None, provider_reference=reference[:200],
        last_error="",
    )
    return "sent"


def _failed(message: Message, worker: str, reason: str, *, permanent: bool) -> str:
    attempts = Message.objects.filter(pk=message.pk).values_list("attempts", flat=True).first() or message.attempts
    give_up = permanent or attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS
    reason = reason[:2000]
    if give_up:
        _mine(message, worker).update(status=Message.Status.FAILED, lease_until=None, last_error=reason)
        # No address, body or recipient in the log: the message's id and kind say enough.
        logger.warning("Message %s (%s, %s) failed after %d attempts", message.pk, message.kind, message.channel, attempts)
        return "failed"
    _mine(message, worker).update(
        status=Message.Status.PENDING, lease_until=None, last_error=reason, next_attempt_at=timezone.now() + backoff(attempts)
    )
    return "retried"


def drain(worker: str | None = None, *, limit: int | None = None, max_batches: int | None = None) -> DrainResult:
    """Send everything due now, batch after batch. The outbox job of the schedule."""
    worker = worker or worker_name()
    result = DrainResult()
    batches = 0
    email = EmailConnection()
    try:
        while max_batches is None or batches < max_batches:
            claimed = claim(worker, limit)
            if not claimed:
                break
            batches += 1
            stopped = stopped_cases(claimed)
            for message in claimed:
                outcome = send_one(message, worker, stopped=message.case_id in stopped and message.recipient_user_id is None, email=email)
                setattr(result, outcome, getattr(result, outcome) + 1)
    finally:
        email.reset()
    return result
