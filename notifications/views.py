"""The inbound SMS/WhatsApp webhook (/mensajes/entrante/, outside the language prefixes: a gateway
does not negotiate languages) and the unsubscribe page of e-mail messages."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from cases.models import Channel

from . import inbound
from .gateways import sign
from .models import InboundReceipt
from .services import stop_messages
from .unsubscribe import contact_for_token

logger = logging.getLogger(__name__)


def _refuse(status: int, error: str) -> JsonResponse:
    return JsonResponse({"error": error}, status=status)


def verify_signature(request: HttpRequest) -> str | None:
    """The error to answer, or None when the request is signed, fresh and not seen before."""
    timestamp = request.headers.get("X-Ventanilla-Timestamp", "")
    given = request.headers.get("X-Ventanilla-Signature", "").removeprefix("sha256=")
    if not timestamp or not given:
        return "The request is not signed: send X-Ventanilla-Timestamp and X-Ventanilla-Signature."
    if not timestamp.isdigit() or abs(time.time() - int(timestamp)) > settings.INBOUND_MAX_SKEW_SECONDS:
        return "The timestamp is missing, malformed or too far from the current time."
    expected = sign(settings.INBOUND_WEBHOOK_SECRET, timestamp, request.body)
    if not settings.INBOUND_WEBHOOK_SECRET or not hmac.compare_digest(expected, given.lower()):
        return "The signature does not match."
    return None


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def inbound_message(request: HttpRequest) -> HttpResponse:
    """POST {"from": "+5076...", "text": "...", "channel": "sms"|"whatsapp"} as JSON (or a form),
    signed like the outbound requests. Answers {"reply": "..."} for the gateway to send back."""
    if request.method != "POST":
        response = HttpResponse(
            "This address receives text messages from the SMS/WhatsApp gateway by signed POST.\n",
            status=405, content_type="text/plain; charset=utf-8",
        )
        response["Allow"] = "POST"
        return response
    if len(request.body) > 64 * 1024:
        return _refuse(413, "The request is too large.")
    error = verify_signature(request)
    if error:
        logger.warning("Inbound message refused: %s", error)
        return _refuse(403, error)
    try:
        payload = json.loads(request.body) if request.content_type == "application/json" else request.POST.dict()
        phone, text = str(payload.get("from", "")), str(payload.get("text", ""))
        channel = str(payload.get("channel") or Channel.SMS)
    except (ValueError, AttributeError):
        return _refuse(400, "The body must be JSON or a form with from, text and channel.")
    if channel not in (Channel.SMS, Channel.WHATSAPP):
        return _refuse(400, "channel must be sms or whatsapp.")
    if not phone:
        return _refuse(400, "from is required.")
    # The same signed request twice is a replay, refused even within the timestamp window.
    digest = hashlib.sha256(request.headers["X-Ventanilla-Signature"].encode()).hexdigest()
    try:
        with transaction.atomic():
            InboundReceipt.objects.create(signature=digest)
    except IntegrityError:
        return _refuse(409, "This request was already received (replay).")
    rate_key = f"notifications:inbound:{hashlib.sha256(phone.encode()).hexdigest()}"
    cache.add(rate_key, 0, timeout=3600)
    if cache.incr(rate_key) > settings.INBOUND_MESSAGES_PER_HOUR:
        return _refuse(429, "Too many messages from this phone; try again later.")
    answer = inbound.handle(phone, text, channel)
    # The outcome only: a phone number or a message text is personal data and stays out of logs.
    logger.info("Inbound %s message: %s", channel, answer.outcome)
    return JsonResponse({"reply": answer.text, "outcome": answer.outcome})


@require_http_methods(["GET", "POST"])
def unsubscribe(request: HttpRequest, token: str) -> HttpResponse:
    contact = contact_for_token(token)
    if contact is None:
        raise Http404
    done = contact.messages_stopped_at is not None
    if request.method == "POST" and not done:
        stop_messages(contact)
        done = True
    response = render(
        request, "notifications/unsubscribe.html", {"number": contact.case.number, "done": done, "now": timezone.now()}
    )
    response["Cache-Control"] = "no-store"
    return response

