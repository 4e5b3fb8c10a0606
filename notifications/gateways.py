"""Providers. E-mail goes through Django's e-mail backends (SMTP in production, files under var/mail/ in
the demo); SMS and WhatsApp through one gateway interface chosen by TEXT_GATEWAY_BACKEND: files under
var/sms/ in the demo, or a generic HTTP gateway signed with HMAC-SHA256.

A provider either accepts a message (returns its reference) or raises: `TemporaryFailure` is retried
with backoff, `PermanentFailure` ends the message as failed at once."""

from __future__ import annotations

import hashlib
import hmac
import json
import smtplib
import socket
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.utils.module_loading import import_string


class DeliveryFailure(Exception):
    pass


class TemporaryFailure(DeliveryFailure):
    """Worth another try later: a timeout, a 5xx, a refused connection."""


class PermanentFailure(DeliveryFailure):
    """Trying again cannot help: the provider refused the message itself."""


class TextGateway(Protocol):
    def send(self, message) -> str:
        """Deliver an SMS or WhatsApp message; return the provider's reference. Raise DeliveryFailure."""


def sign(secret: str, timestamp: str, body: bytes) -> str:
    """HMAC-SHA256 over "<timestamp>.<body>", hex: the outbound requests and the inbound webhook."""
    return hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()


class FileGateway:
    """The demo's gateway: one JSON file per message under TEXT_GATEWAY_DIR (var/sms/), named by the
    message's idempotency key so a resend after a crash overwrites instead of duplicating."""

    def __init__(self, directory: str | Path | None = None) -> None:
        self.directory = Path(directory or settings.TEXT_GATEWAY_DIR)

    def send(self, message) -> str:
        self.directory.mkdir(parents=True, exist_ok=True)
        path = self.directory / f"{message.uuid}.json"
        payload = {"id": str(message.uuid), "channel": message.channel, "to": message.to, "text": message.body}
        tmp = path.with_suffix(".tmp")
        tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2), encoding="utf-8")
        tmp.replace(path)
        return path.name


class HttpGateway:
    """POST {"id", "channel", "to", "text"} as JSON to TEXT_GATEWAY_URL with the headers
    Idempotency-Key (the message's uuid, the same on every attempt), X-Ventanilla-Timestamp and
    X-Ventanilla-Signature ("sha256=" + HMAC of timestamp + "." + body with TEXT_GATEWAY_KEY)."""

    def __init__(self, url: str | None = None, key: str | None = None, timeout: float | None = None) -> None:
        self.url = url or settings.TEXT_GATEWAY_URL
        self.key = key if key is not None else settings.TEXT_GATEWAY_KEY
        self.timeout = timeout or settings.TEXT_GATEWAY_TIMEOUT_SECONDS

    def send(self, message) -> str:
        if not self.url:
            raise PermanentFailure("TEXT_GATEWAY_URL is not set.")
        if not self.url.startswith(("https://", "http://")):
            raise PermanentFailure("TEXT_GATEWAY_URL must be an http(s) address.")
        body = json.dumps(
            {"id": str(message.uuid), "channel": message.channel, "to": message.to, "text": message.body},
            ensure_ascii=False,
        ).encode("utf-8")
        timestamp = str(int(time.time()))
        request = urllib.request.Request(  # noqa: S310 - http(s) only, checked above
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Idempotency-Key": str(message.uuid),
                "X-Ventanilla-Timestamp": timestamp,
                "X-Ventanilla-Signature": "sha256=" + sign(self.key, timestamp, body),
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 - TEXT_GATEWAY_URL is an administrator's setting, checked to be http(s)
                answer = response.read(4096)
        except urllib.error.HTTPError as error:
            detail = f"HTTP {error.code} from the gateway: {error.read(300).decode('utf-8', 'replace')}"
            if error.code in (408, 409, 425, 429) or error.code >= 500:
                raise TemporaryFailure(detail) from error
            raise PermanentFailure(detail) from error
        except (urllib.error.URLError, socket.timeout, TimeoutError, ConnectionError, OSError) as error:
            raise TemporaryFailure(f"Gateway unreachable: {error}") from error
        try:
            return str(json.loads(answer or b"{}").get("id", ""))[:200]
        except (ValueError, AttributeError):
            return ""


def text_gateway() -> TextGateway:
    return import_string(settings.TEXT_GATEWAY_BACKEND)()


def send_email(message, connection=None) -> str:
    """Send through the configured Django backend with the Message-ID fixed at creation. A `connection`
    passed in is opened here (a no-op when already open) and left open for the next message."""
    shared = connection is not None
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[message.to],
        headers={"Message-ID": message.message_id, "X-Ventanilla-Message": str(message.uuid)},
        connection=connection or get_connection(timeout=settings.EMAIL_TIMEOUT),
    )
    if message.html:
        email.attach_alternative(message.html, "text/html")
    try:
        if shared:
            connection.open()
        email.send(fail_silently=False)
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        if codes and all(500 <= code < 600 for code in codes):
            raise PermanentFailure(f"SMTP refused the recipient: {codes}") from error
        raise TemporaryFailure(f"SMTP refused the recipient for now: {codes}") from error
    except smtplib.SMTPResponseException as error:
        detail = f"SMTP {error.smtp_code}: {error.smtp_error.decode('utf-8', 'replace') if isinstance(error.smtp_error, bytes) else error.smtp_error}"
        if 500 <= error.smtp_code < 600:
            raise PermanentFailure(detail) from error
        raise TemporaryFailure(detail) from error
    except (smtplib.SMTPException, OSError) as error:
        raise TemporaryFailure(f"SMTP: {error}") from error
    return message.message_id


def deliver(message, email_connection=None) -> str:
    if message.channel == "email":
        return send_email(message, connection=email_connection)
    return text_gateway().send(message)
