"""Integrators' API keys and the link between a case and the Open311 submission that created it.

Case has no field for "which integrator filed this"; the Submission row keeps that link (and the
idempotency key and Open311 token) so that the cases app stays free of API concerns.
"""

from __future__ import annotations

import hashlib
import secrets

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# A key is shown once as "<prefix>.<secret>"; the prefix lets staff tell keys apart in the admin
# without the secret ever being stored.
KEY_PREFIX_LENGTH = 8


def hash_key(raw_key: str) -> str:
    # The secret part carries 256 random bits, so a plain SHA-256 is enough: there is nothing to
    # brute-force that a slow hash would protect.
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


class ApiKeyQuerySet(models.QuerySet):
    def active(self) -> "ApiKeyQuerySet":
        return self.filter(revoked_at__isnull=True)

    def authenticate(self, raw_key: str | None) -> "ApiKey | None":
        """The active key matching `raw_key`, or None (unknown, malformed or revoked)."""
        raw_key = (raw_key or "").strip()
        if not raw_key or len(raw_key) > 200:
            return None
        return self.active().filter(key_hash=hash_key(raw_key)).first()


class ApiKey(models.Model):
    """An integrator's key for POST requests, issued by an administrator. Only its hash is stored."""

    class Channel(models.TextChoices):
        # The subset of cases.models.Channel an integrator may file through.
        API = "api", _("API")
        MOBILE = "mobile", _("Mobile app")
        # Sensors and other systems posting CAP or JSON to the operations board (operations/).
        SENSOR = "sensor", _("Sensor or other system")

    name = models.CharField(_("integrator"), max_length=150)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.API)
    prefix = models.CharField(_("key prefix"), max_length=KEY_PREFIX_LENGTH, editable=False)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("issued"), default=timezone.now, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    objects = ApiKeyQuerySet.as_manager()

    class Meta:
        ordering = ["name", "pk"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None

    def set_new_key(self) -> str:
        """Give this key a fresh secret and return it; the caller shows it once and forgets it."""
        prefix = secrets.token_hex(KEY_PREFIX_LENGTH // 2)
        raw_key = f"{prefix}.{secrets.token_urlsafe(32)}"
        self.prefix = prefix
        self.key_hash = hash_key(raw_key)
        return raw_key

    @classmethod
    def issue(cls, name: str, channel: str = Channel.API) -> tuple["ApiKey", str]:
        key = cls(name=name.strip(), channel=channel)
        raw_key = key.set_new_key()
        key.save()
        return key, raw_key

    def revoke(self) -> None:
        if self.revoked_at is None:
            self.revoked_at = timezone.now()
            self.save(update_fields=["revoked_at"])


def new_open311_token() -> str:
    # Not the case's tracking token (the reporter's secret): this one only maps back to the public number.
    return secrets.token_urlsafe(18)


class Submission(models.Model):
    """How a case arrived through Open311: which key, which retry key, which Open311 token."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="open311_submission")
    api_key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="submissions")
    # SHA-256 of the client's Idempotency-Key header (or of device_id + client_request_id); NULL when the
    # client sent neither. Cleared after the replay window so that the client may reuse its key.
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    # Keyed hash of the device id: lets us count reports per device without keeping the identifier.
    device_hash = models.CharField(max_length=64, blank=True)
    token = models.CharField(max_length=32, unique=True, default=new_open311_token, editable=False)
    # The URL the client sent in `media_url`, published only when no photo was uploaded with the case.
    media_url = models.URLField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("Open311 submission")
        verbose_name_plural = _("Open311 submissions")
        constraints = [
            # The guarantee behind idempotent POST: two concurrent retries cannot both insert.
            models.UniqueConstraint(fields=["api_key", "idempotency_key"], name="open311_submission_idempotency"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} via {self.api_key_id}"
