"""One form for the ways a citizen can be found again: phone numbers and national ID numbers.

The agent console searches by them and the notifications inbound webhook matches text messages with
them, so both must normalise the same way; this module is that one place.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from django.conf import settings


def normalize_phone(raw: str | None, region: str | None = None) -> str:
    """The E.164 form of a phone number ("+50761234567"), or "" when it cannot be one.

    A number without a country prefix is read as a number of the jurisdiction (PHONE_REGION), the way a
    caller or a gateway in that country writes it.
    """
    text = (raw or "").strip()
    if not text or len(text) > 40:
        return ""
    try:
        parsed = phonenumbers.parse(text, region or settings.PHONE_REGION)
    except phonenumbers.NumberParseException:
        return ""
    if not phonenumbers.is_possible_number(parsed):
        return ""
    return phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.E164)


_ID_NOISE = re.compile(r"[\s\-./]+")


def normalize_national_id(raw: str | None) -> str:
    """A national ID number in one comparable form: upper case, no accents, no spaces, dashes or dots.

    Panamanian cédulas are written "8-123-456", "8 123 456" or "PE-12-345"; the parts are kept in order
    with single dashes so "8-123-456" and "8 123 456" compare equal but "81-23-456" does not.
    """
    text = unicodedata.normalize("NFKD", (raw or "").strip().upper())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    parts = [part for part in _ID_NOISE.split(text) if part]
    return "-".join(parts)[:32]
