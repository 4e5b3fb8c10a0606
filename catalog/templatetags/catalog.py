"""Template filters for catalog pages."""

from __future__ import annotations

from decimal import Decimal

from django import template
from django.conf import settings
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def money(amount: Decimal | None) -> str:
    """A fee as the jurisdiction writes it: "B/. 1,250.00", "Free" for zero, "" when not published."""
    if amount is None:
        return ""
    if amount == 0:
        return _("Free")
    symbol = settings.CATALOG_CURRENCY_SYMBOL
    return f"{symbol} {amount:,.2f}"


@register.filter
def text_items(value) -> list[str]:
    """The strings of a JSON list field (requirements, documents, steps), skipping anything else."""
    if isinstance(value, str):
        return [value] if value.strip() else []
    return [item for item in value or [] if isinstance(item, str) and item.strip()]


@register.filter
def offices(value) -> list[dict]:
    return [office for office in value or [] if isinstance(office, dict) and office.get("name")]


@register.simple_tag
def content_language() -> str:
    """The language procedures are written in (the jurisdiction's default), for lang attributes."""
    return settings.LANGUAGE_CODE
