"""The outbox: every message to a citizen or a staff member is a row written in the transaction of the
change that causes it, then sent by a worker (notifications/outbox.py). Nothing is sent from a request."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Message(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        SMS = "sms", _("SMS")
        WHATSAPP = "whatsapp", _("WhatsApp")

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        CANCELLED = "cancelled", _("Cancelled")

    class Kind(models.TextChoices):
        RECEIVED = "received", _("Report received")
        INFO_REQUESTED = "info_requested", _("Information requested")
        TRANSFERRED = "transferred", _("Transferred")
        RESOLVED = "resolved", _("Resolved")
        REOPENED = "reopened", _("Reopened")
        CLOSED = "closed", _("Closed")
        MERGED = "merged", _("Merged into another case")
        ORIGINAL_RESOLVED = "original_resolved", _("Original case resolved")
        SURVEY_REMINDER = "survey_reminder", _("Survey reminder")
        ASSIGNED = "assigned", _("Case assigned to you")
        DUE_SOON = "due_soon", _("Case due soon")
        OVERDUE = "overdue", _("Case overdue")
        DIGEST = "digest", _("Supervisor digest")
        STAFF = "staff", _("Staff notice")

    # What caused the message and for whom, unique: writing the same cause twice writes one message.
    key = models.CharField(_("idempotency key"), max_length=200, unique=True)
    # Passed to providers as their idempotency key; the e-mail Message-ID is derived from it, so a
    # resend after a worker crash is recognisable as the same message.
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    message_id = models.CharField(_("Message-ID"), max_length=200, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    case = models.ForeignKey(
        "cases.Case", null=True, blank=True, on_delete=models.CASCADE, related_name="messages", verbose_name=_("case")
    )
    recipient_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        verbose_name=_("staff recipient"),
    )
    # An e-mail address or an E.164 phone number. Personal data: blanked by the retention job.
    to = models.CharField(_("to"), max_length=254)
    language = models.CharField(_("language"), max_length=8, default="es")
    # Citizen messages written inside a request are rendered by the worker just before their first
    # send (then kept, so a resend is the same text): the change's transaction only inserts the row.
    # `context` names what the text is made of (the event, the original case of a duplicate): ids only.
    context = models.JSONField(default=dict, blank=True)
    rendered = models.BooleanField(default=True)
    subject = models.CharField(_("subject"), max_length=300, blank=True)
    body = models.TextField(_("text"), blank=True)
    html = models.TextField(_("HTML"), blank=True)

    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    next_attempt_at = models.DateTimeField(_("next attempt"), default=timezone.now)
    # A worker that claims a message holds it until `lease_until`; another worker takes it over only
    # after that (the first one died mid-send).
    lease_until = models.DateTimeField(null=True, blank=True)
    leased_by = models.CharField(max_length=64, blank=True)
    last_error = models.TextField(_("last error"), blank=True)
    provider_reference = models.CharField(_("provider reference"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        indexes = [models.Index(fields=["status", "next_attempt_at"], name="message_due")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.get_channel_display()} · {self.get_status_display()}"

    def save(self, *args, **kwargs) -> None:
        if not self.message_id:
            self.message_id = f"<{self.uuid}@{settings.NOTIFICATIONS_MESSAGE_ID_DOMAIN}>"
        super().save(*args, **kwargs)


class InboundReceipt(models.Model):
    """The signature of each accepted inbound webhook call: the same signed request twice is a replay."""

    signature = models.CharField(max_length=64, unique=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
