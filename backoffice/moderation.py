"""A first draft of the redacted public description: e-mail addresses, phone numbers and cédula-like
numbers replaced by a marker. The member of staff reads and edits it before saving (cases.services.moderate)."""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings

MARK = "[…]"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(\.[\w-]+)+")
# Panamanian cédulas (8-123-456, PE-12-345, E-8-12345, N-19-1234) and long digit runs.
NATIONAL_ID = re.compile(r"\b(?:\d{1,2}|PE|E|N|[1-9]-?AV|[1-9]-?PI)-\d{1,4}-\d{1,6}\b|\b\d{7,}\b", re.IGNORECASE)


def suggest_redaction(text: str) -> str:
    text = EMAIL.sub(MARK, text)
    for match in reversed(list(phonenumbers.PhoneNumberMatcher(text, settings.PHONE_REGION))):
        text = text[: match.start] + MARK + text[match.end :]
    return NATIONAL_ID.sub(MARK, text)
