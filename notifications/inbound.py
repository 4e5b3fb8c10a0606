"""What a citizen can do by text message: ask for the state of their case ("2026-000123" or "ESTADO
2026-000123"), answer an information request by replying, and stop messages ("BAJA").

The phone is matched on `CaseContact.phone_normalized` with `cases.contact.normalize_phone`, the same
rule the agent console uses. A number never reveals a case to a phone that is not its contact (the
answer is the same as for a number that does not exist), and sensitive cases never answer by text."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from cases.contact import normalize_phone
from cases.models import CaseContact, State
from cases.services import InvalidTransition, citizen_reply

from . import sms
from .content import tracking_url
from .services import stop_messages

NUMBER = re.compile(r"\b(\d{4})\s*-\s*(\d{1,6})\b")
STATUS_WORDS = {"ESTADO", "STATUS", "CASO"}
STOP_WORDS = {"BAJA", "STOP", "ALTO"}
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


@dataclass
class Answer:
    text: str
    outcome: str  # for the log: status, reply, stopped, unknown_phone, unknown_case, sensitive, help...


def clean_text(raw: str) -> str:
    return " ".join(CONTROL.sub(" ", raw or "").split())


def contacts_of(phone: str):
    return (
        CaseContact.objects.filter(phone_normalized=phone, case__is_anonymous=False)
        .select_related("case", "case__category", "case__entity")
        .order_by("-case__created_at")
    )


def handle(phone_raw: str, text_raw: str, channel: str) -> Answer:
    """The answer to one inbound message (already authenticated). Changes only through cases.services."""
    phone = normalize_phone(phone_raw)
    text = clean_text(text_raw)
    contacts = list(contacts_of(phone)) if phone else []
    language = contacts[0].language if contacts else settings.LANGUAGE_CODE
    with translation.override(language or settings.LANGUAGE_CODE):
        answer = _answer(phone, text, channel, contacts)
    answer.text = sms.fit(answer.text)
    return answer


def _answer(phone: str, text: str, channel: str, contacts: list[CaseContact]) -> Answer:
    help_text = _(
        "311: we found no case for this phone. To report a problem go to %(url)s or call 311. "
        "To follow a case, text its number, for example ESTADO 2026-000123."
    ) % {"url": settings.SITE_URL.rstrip("/") + "/reportar/"}
    if not text:
        return Answer(help_text if not contacts else _help_known(), "help")
    if len(text) > settings.INBOUND_MAX_TEXT_LENGTH:
        return Answer(
            _("311: your message is too long (%(length)d characters). Please send at most %(limit)d.")
            % {"length": len(text), "limit": settings.INBOUND_MAX_TEXT_LENGTH},
            "too_long",
        )
    words = text.upper().split()
    match = NUMBER.search(text)
    number = f"{match.group(1)}-{int(match.group(2)):06d}" if match else ""
    mine = [c for c in contacts if c.case.number == number] if number else contacts
    if words[0] in STOP_WORDS:
        if not contacts or (number and not mine):
            return Answer(help_text, "unknown_phone")
        stopped = [c for c in mine if c.messages_stopped_at is None]
        for contact in stopped:
            stop_messages(contact)
        return Answer(_("311: you will receive no more messages about your cases. Thank you."), "stopped")
    if not contacts:
        return Answer(help_text, "unknown_phone")
    if number and not mine:
        return Answer(
            _("311: we found no case %(number)s for this phone. Text the number of a case you reported from this phone.")
            % {"number": number},
            "unknown_case",
        )
    asks_status = words[0] in STATUS_WORDS or (match and len(text.replace(match.group(0), "").split()) == 0)
    if asks_status:
        contact = mine[0]
        if contact.case.category.sensitive:
            return Answer(_sensitive(), "sensitive")
        return Answer(_status(contact), "status")
    # Anything else is an answer to an information request.
    waiting = [c for c in mine if c.case.state == State.WAITING_CITIZEN and not c.case.category.sensitive]
    if not waiting:
        if any(c.case.category.sensitive for c in mine) and all(c.case.category.sensitive for c in mine):
            return Answer(_sensitive(), "sensitive")
        return Answer(_help_known(), "help")
    if len(waiting) > 1 and not number:
        return Answer(
            _("311: several of your cases wait for your answer. Start your message with the case number, for example %(number)s and your answer.")
            % {"number": waiting[0].case.number},
            "ambiguous",
        )
    contact = waiting[0]
    reply = NUMBER.sub("", text, count=1).strip() if number else text
    try:
        with transaction.atomic():
            citizen_reply(contact.case, reply, channel=channel)
    except (ValidationError, InvalidTransition):
        return Answer(_help_known(), "help")
    return Answer(
        _("311: thank you, your answer was added to case %(number)s.") % {"number": contact.case.number}, "reply"
    )


def _help_known() -> str:
    return _("311: text the number of your case, for example ESTADO 2026-000123, to know its state, or BAJA to stop messages.")


def _sensitive() -> str:
    return _("311: this case cannot be followed by text message. Use the tracking link of your receipt.")


def _status(contact: CaseContact) -> str:
    case = contact.case
    last = case.events.filter(public=True).exclude(message="").order_by("-created_at", "-pk").first()
    values = {"number": case.number, "state": case.get_state_display()}
    head = _("311: case %(number)s is %(state)s.") % values
    update = _("Last update: %(message)s") % {"message": sms.shorten(last.message, 140)} if last else ""
    return " ".join(part for part in (head, update, tracking_url(case)) if part)
