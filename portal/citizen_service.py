"""What the public pages say about the service itself, from the jurisdiction's data set
(`citizen_service.json` in JURISDICTION_DATA_DIR): the 311 phone and WhatsApp numbers, the emergency
number, and the privacy notice. Nothing here names Panama; another jurisdiction writes its own file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import get_language

from entities.models import Entity

FILE_NAME = "citizen_service.json"


@dataclass(frozen=True)
class Number:
    display: str
    link: str


@dataclass(frozen=True)
class Section:
    id: str
    heading: str
    paragraphs: list[str]


@lru_cache(maxsize=4)
def _load(path: str) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            return json.load(handle)
    except FileNotFoundError:
        return {}


def data() -> dict:
    return _load(str(settings.JURISDICTION_DATA_DIR / FILE_NAME))


def _number(key: str, link_key: str, scheme: str = "") -> Number | None:
    entry = data().get(key)
    if not entry or not entry.get("display"):
        return None
    target = entry.get(link_key) or ""
    return Number(display=entry["display"], link=f"{scheme}{target}" if target else "")


def phone() -> Number | None:
    return _number("phone", "tel", "tel:")


def whatsapp() -> Number | None:
    return _number("whatsapp", "url")


def emergency() -> Number | None:
    return _number("emergency", "tel", "tel:")


def _language() -> str:
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    return language if language in {code for code, _name in settings.LANGUAGES} else settings.LANGUAGE_CODE


def _localized(entry: dict, key: str, language: str):
    return entry.get(f"{key}_{language}") or entry.get(f"{key}_{settings.LANGUAGE_CODE}")


def oversight_names() -> list[str]:
    """The bodies that receive complaints (entities marked as oversight), as the data set names them."""
    return list(Entity.objects.oversight().filter(active=True).order_by("name").values_list("name", flat=True))


def privacy_notice() -> dict:
    """The notice in the reader's language, its placeholders filled from settings and data."""
    notice = data().get("privacy") or {}
    language = _language()
    center = Entity.objects.contact_center()
    numbers = {"phone": phone(), "whatsapp": whatsapp()}
    values = {
        "retention_months": settings.CONTACT_RETENTION_MONTHS,
        "controller": center.name if center else "",
        "authority": (notice.get("authority") or {}).get("name", ""),
        **{key: number.display if number else "" for key, number in numbers.items()},
    }
    sections = [
        Section(
            id=entry.get("id", ""),
            heading=_localized(entry, "heading", language) or "",
            paragraphs=[text.format(**values) for text in _localized(entry, "paragraphs", language) or []],
        )
        for entry in notice.get("sections", [])
    ]
    return {"law": notice.get("law", ""), "authority": notice.get("authority") or {}, "sections": sections}
