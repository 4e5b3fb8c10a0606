"""Checking a new case before anything is stored. Every entry point (portal form, Open311, REST API,
agent console) sends its input through `validate_new_case`, so they all reject the same things with the
same specific messages; each caller renders the errors in its own format."""

from __future__ import annotations

import datetime as dt
import math
import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from entities import geo
from entities.models import District

from .models import CaseContact, Category, CategoryAttribute, Channel

# Tab, line feed and carriage return are ordinary in a description; other control characters are not.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_PHONE = re.compile(r"^\+?[0-9][0-9 \-]{5,18}[0-9]$")
_STRING_MAX = 300
# What one answer to a category's question may be (JSON clients can send anything).
_SCALARS = (str, int, float, Decimal)
# Beyond 10**15 a number is not an answer anyone means, and JSON readers no longer hold it exactly.
NUMBER_MAX_DIGITS = 15
# No number anyone types is longer than this; longer text is refused before any conversion.
NUMBER_MAX_CHARACTERS = 64


class NumberError(ValueError):
    """Not a number, or one outside the bounds; `code` says which (invalid_number, number_too_large)."""

    def __init__(self, code: str) -> None:
        self.code = code
        super().__init__(code)


def parse_bounded_number(raw: Any) -> int | float:
    """A finite number whose integer part has at most NUMBER_MAX_DIGITS digits, as int when whole.

    Bounded before any arithmetic: `Decimal("1e999999999")` is a valid, finite Decimal, but abs(),
    a comparison with a context or int() on it overflow or take gigabytes. Only the string length and
    the exponent (`adjusted()`, which needs no arithmetic context) are looked at before converting.
    """
    if isinstance(raw, bool):
        raise NumberError("invalid_number")
    text = str(raw).strip()
    if not text or len(text) > NUMBER_MAX_CHARACTERS:
        raise NumberError("invalid_number" if not text else "number_too_large")
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise NumberError("invalid_number") from None
    if not number.is_finite():
        raise NumberError("invalid_number")
    if number.is_zero():
        return 0
    if number.adjusted() >= NUMBER_MAX_DIGITS:
        raise NumberError("number_too_large")
    if number.adjusted() < -NUMBER_MAX_CHARACTERS:
        # 1e-999999999: nothing anyone measures; as a float it is zero anyway.
        return 0
    return int(number) if number == number.to_integral_value() else float(number)


def parse_coordinate(raw: Any) -> float:
    """A latitude or longitude as a finite float; raises ValueError for anything else (bool included)."""
    if isinstance(raw, bool) or raw is None:
        raise ValueError("not a coordinate")
    if isinstance(raw, (int, float)):
        value = float(raw)
    else:
        text = str(raw).strip()
        if len(text) > NUMBER_MAX_CHARACTERS:
            raise ValueError("too long")
        value = float(text)
    if not math.isfinite(value):
        raise ValueError("not finite")
    return value


@dataclass
class NewCase:
    """Raw input for a new case, as any channel receives it."""

    category_code: str
    description: str
    channel: str = Channel.WEB
    lat: float | str | None = None
    lon: float | str | None = None
    address: str = ""
    district_code: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    is_anonymous: bool = False
    contact_name: str = ""
    contact_email: str = ""
    contact_phone: str = ""
    contact_national_id: str = ""
    language: str = "es"
    # How the citizen wants to hear about the case; None means "not asked" (see notification_preferences).
    notify_email: bool | None = None
    notify_sms: bool | None = None
    notify_whatsapp: bool | None = None


@dataclass
class CleanCase:
    category: Category
    description: str
    channel: str
    lat: float | None
    lon: float | None
    address: str
    district: District | None
    attributes: dict[str, Any]
    is_anonymous: bool
    contact: dict[str, str]
    notify: dict[str, bool] = field(default_factory=dict)


class CaseErrors:
    """Collects field errors so the caller gets all of them at once, then raises one ValidationError."""

    def __init__(self) -> None:
        self.errors: dict[str, list[ValidationError]] = {}

    def add(self, field_name: str, message: str, code: str) -> None:
        self.errors.setdefault(field_name, []).append(ValidationError(message, code=code))

    def raise_if_any(self) -> None:
        if self.errors:
            raise ValidationError(self.errors)


def clean_text(value: str | None, field_name: str, errors: CaseErrors, *, max_length: int, required: bool) -> str:
    text = unicodedata.normalize("NFC", (value or "").replace("\r\n", "\n")).strip()
    if required and not text:
        errors.add(field_name, _("This field is required."), "required")
    elif len(text) > max_length:
        errors.add(
            field_name,
            _("Too long: %(length)d characters, the limit is %(limit)d.") % {"length": len(text), "limit": max_length},
            "max_length",
        )
    elif _CONTROL.search(text):
        errors.add(field_name, _("Contains control characters that are not allowed."), "control_characters")
    return text


def clean_location(data: NewCase, errors: CaseErrors) -> tuple[float | None, float | None, District | None]:
    if data.lat in (None, "") and data.lon in (None, ""):
        district = None
        if data.district_code:
            district = District.objects.filter(code=data.district_code).first()
            if district is None:
                errors.add("district", _("Unknown district."), "invalid_district")
        return None, None, district
    try:
        lat, lon = parse_coordinate(data.lat), parse_coordinate(data.lon)
    except (TypeError, ValueError, OverflowError):
        errors.add("location", _("Latitude and longitude must both be given as decimal numbers."), "invalid_location")
        return None, None, None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        errors.add("location", _("Latitude and longitude are out of range."), "invalid_location")
        return None, None, None
    try:
        location = geo.locate(lat, lon)
    except geo.OutsideJurisdiction:
        errors.add("location", _("The location is outside the territory this service covers."), "outside_jurisdiction")
        return None, None, None
    return lat, lon, location.district


def clean_attribute(attribute: CategoryAttribute, raw: Any, errors: CaseErrors) -> Any:
    key = f"attribute[{attribute.code}]"
    Datatype = CategoryAttribute.Datatype
    items = raw if isinstance(raw, (list, tuple)) else [raw]
    if any(not isinstance(item, _SCALARS) for item in items):
        # A JSON client may nest objects or lists here; an answer is one value or a list of values.
        errors.add(key, _("Each answer must be a text or a number."), "invalid")
        return None
    if attribute.datatype == Datatype.MULTIVALUELIST:
        values = items
        values = [str(v) for v in values if str(v).strip()]
        allowed = {v["key"] for v in attribute.values}
        unknown = [v for v in values if v not in allowed]
        if unknown:
            errors.add(key, _("Not one of the allowed choices: %(values)s.") % {"values": ", ".join(unknown)}, "invalid_choice")
        return values
    if isinstance(raw, (list, tuple)):
        if len(raw) != 1:
            errors.add(key, _("Exactly one value is expected."), "invalid")
            return None
        raw = raw[0]
    text = str(raw).strip()
    if attribute.datatype == Datatype.NUMBER:
        try:
            return parse_bounded_number(text)
        except NumberError as error:
            if error.code == "number_too_large":
                errors.add(key, _("The number is too large."), "number_too_large")
            else:
                errors.add(key, _("Must be a number."), "invalid_number")
            return None
    if attribute.datatype == Datatype.DATETIME:
        try:
            parsed = parse_datetime(text)
        except ValueError:
            # Well formed but impossible ("2026-02-30T10:00"): Django raises instead of returning None.
            parsed = None
        if parsed is None:
            try:
                parsed = dt.datetime.combine(dt.date.fromisoformat(text), dt.time())
            except ValueError:
                errors.add(key, _("Must be a date and time such as 2026-03-01T14:30."), "invalid_datetime")
                return None
        return parsed.isoformat()
    if attribute.datatype == Datatype.SINGLEVALUELIST:
        if text not in {v["key"] for v in attribute.values}:
            errors.add(key, _("Not one of the allowed choices."), "invalid_choice")
        return text
    limit = _STRING_MAX if attribute.datatype == Datatype.STRING else settings.CASE_DESCRIPTION_MAX_LENGTH
    return clean_text(text, key, errors, max_length=limit, required=False)


def clean_attributes(category: Category, raw: dict[str, Any], errors: CaseErrors) -> dict[str, Any]:
    definitions = {a.code: a for a in category.attributes.all()}
    for code in raw:
        if code not in definitions:
            errors.add(f"attribute[{code}]", _("This category has no such attribute."), "unknown_attribute")
    cleaned: dict[str, Any] = {}
    for code, attribute in definitions.items():
        value = raw.get(code)
        empty = value is None or (isinstance(value, str) and not value.strip()) or value == []
        if empty:
            if attribute.required:
                errors.add(f"attribute[{code}]", _("This question must be answered."), "required")
            continue
        cleaned[code] = clean_attribute(attribute, value, errors)
    return cleaned


def clean_contact(data: NewCase, category: Category | None, errors: CaseErrors) -> tuple[bool, dict[str, str]]:
    contact = {
        "name": clean_text(data.contact_name, "name", errors, max_length=150, required=False),
        "email": (data.contact_email or "").strip(),
        "phone": (data.contact_phone or "").strip(),
        "national_id": clean_text(data.contact_national_id, "national_id", errors, max_length=32, required=False),
    }
    email_limit = CaseContact._meta.get_field("email").max_length
    if len(contact["email"]) > email_limit:
        # validate_email accepts up to 320 characters; the column holds 254, and PostgreSQL would fail
        # halfway through storing the case.
        too_long = {"length": len(contact["email"]), "limit": email_limit}
        errors.add("email", _("Too long: %(length)d characters, the limit is %(limit)d.") % too_long, "max_length")
    elif contact["email"]:
        try:
            validate_email(contact["email"])
        except ValidationError:
            errors.add("email", _("Enter a valid email address."), "invalid_email")
    if contact["phone"] and not _PHONE.match(contact["phone"]):
        errors.add("phone", _("Enter a valid phone number, for example 6123-4567 or +507 6123-4567."), "invalid_phone")
    if data.is_anonymous:
        if category is not None and not category.anonymous_allowed:
            errors.add("anonymous", _("This category does not accept anonymous reports."), "anonymous_not_allowed")
        if any(contact.values()):
            errors.add(
                "anonymous",
                _("An anonymous report cannot include contact details. Remove them or report with your name."),
                "anonymous_with_contact",
            )
    return bool(data.is_anonymous), {k: v for k, v in contact.items() if v}


def validate_new_case(data: NewCase, categories=None) -> CleanCase:
    """Return the cleaned case or raise ValidationError listing every problem. Writes nothing.

    `categories` is what this entry point offers: the portal offers listed and sensitive categories,
    Open311 only listed ones (`Category.objects.listed()`), internal tools every active one.
    """
    errors = CaseErrors()
    if categories is None:
        categories = Category.objects.filter(active=True, public=True)
    category = categories.filter(code=(data.category_code or "").strip()).select_related("owner").first()
    if category is None:
        errors.add("service_code", _("Unknown category."), "unknown_category")
    if data.channel not in Channel.values:
        errors.add("channel", _("Unknown channel."), "invalid_channel")
    description = clean_text(
        data.description, "description", errors, max_length=settings.CASE_DESCRIPTION_MAX_LENGTH, required=True
    )
    address = clean_text(data.address, "address", errors, max_length=300, required=False)
    lat, lon, district = clean_location(data, errors)
    raw_attributes = data.attributes or {}
    attributes: dict[str, Any] = {}
    if not isinstance(raw_attributes, dict):
        # A JSON client may send a list or a string here; answering with a field error beats a crash.
        errors.add("attributes", _("The answers must map each question's code to its answer."), "invalid_attributes")
    elif category:
        attributes = clean_attributes(category, raw_attributes, errors)
    is_anonymous, contact = clean_contact(data, category, errors)
    notify = notification_preferences(data, contact)
    errors.raise_if_any()
    assert category is not None  # noqa: S101 - narrows the type: raise_if_any() refused a missing category
    return CleanCase(
        category=category,
        description=description,
        channel=data.channel,
        lat=lat,
        lon=lon,
        address=address,
        district=district,
        attributes=attributes,
        is_anonymous=is_anonymous,
        contact=contact,
        notify=notify,
    )


def notification_preferences(data: NewCase, contact: dict[str, str]) -> dict[str, bool]:
    """The citizen's choice of channels, each only where its address was given. A channel not asked
    about (None) follows the default: e-mail when an address was given, else SMS when a phone was."""
    has_email, has_phone = bool(contact.get("email")), bool(contact.get("phone"))
    email = has_email if data.notify_email is None else bool(data.notify_email) and has_email
    sms = (has_phone and not has_email) if data.notify_sms is None else bool(data.notify_sms) and has_phone
    whatsapp = bool(data.notify_whatsapp) and has_phone
    return {"notify_email": email, "notify_sms": sms, "notify_whatsapp": whatsapp}
