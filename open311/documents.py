"""GeoReport v2 documents built from the domain: services, service definitions, requests, tokens, discovery.

Everything here reads; nothing writes. Cases come only from `Case.objects.public()` and categories only
from `Category.objects.listed()`, so a sensitive report cannot appear in any Open311 answer. No function
here touches CaseContact: personal data is not even loaded.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Callable

from django.conf import settings
from django.db.models import Exists, F, OuterRef, QuerySet, Subquery, TextField, Value
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from cases.models import CLOSED_STATES, OPEN_STATES, Attachment, Case, CaseEvent, Category, CategoryAttribute

from .models import Submission

SPECIFICATION_URL = "http://wiki.open311.org/GeoReport_v2"
# When this endpoint's list of methods and extensions last changed (the discovery "changeset").
API_CHANGESET = "2026-11-22T00:00:00-05:00"
MAX_PAGE_SIZE = 1000
DEFAULT_WINDOW = dt.timedelta(days=90)

Absolute = Callable[[str], str]


class Open311Error(Exception):
    """A request the endpoint cannot answer; rendered as GeoReport errors in the caller's format."""

    def __init__(self, status: int, *descriptions: str, headers: dict[str, str] | None = None) -> None:
        self.status = status
        self.descriptions = list(descriptions)
        self.headers = headers or {}
        super().__init__("; ".join(self.descriptions))


def w3c(value: dt.datetime | None) -> str | None:
    """2026-03-01T09:15:00-05:00: local time of the jurisdiction with its offset, as the spec asks."""
    if value is None:
        return None
    return value.astimezone(timezone.get_default_timezone()).isoformat(timespec="seconds")


def blank_to_none(value: str | None) -> str | None:
    # The JSON twin of an empty XML element is null (the Spark convention the spec follows).
    return value if value not in ("", None) else None


def open311_status(state: str) -> str:
    return "closed" if state in CLOSED_STATES else "open"


# --- Discovery and services ---------------------------------------------------------------------


def discovery(absolute: Absolute) -> dict:
    root = absolute(reverse("open311:discovery", kwargs={"format": "xml"})).rsplit("/", 1)[0]
    return {
        "changeset": API_CHANGESET,
        "contact": _("Questions and problems with this API: %(email)s") % {"email": settings.OPEN311_CONTACT_EMAIL},
        "key_service": _(
            "Reading needs no key. To file requests, ask the administrators for an API key at %(email)s."
        )
        % {"email": settings.OPEN311_CONTACT_EMAIL},
        "endpoints": [
            {
                "specification": SPECIFICATION_URL,
                "url": root,
                "changeset": API_CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }


def listed_services() -> QuerySet[Category]:
    has_attributes = CategoryAttribute.objects.filter(category=OuterRef("pk"))
    return Category.objects.listed().annotate(has_attributes=Exists(has_attributes))


def service_list() -> list[dict]:
    return [
        {
            "service_code": category.code,
            "service_name": category.name,
            "description": blank_to_none(category.description),
            "metadata": category.has_attributes,
            "type": "realtime",
            "keywords": blank_to_none(category.keywords_es),
            "group": blank_to_none(category.group),
        }
        for category in listed_services()
    ]


DATATYPE_DESCRIPTIONS = {
    CategoryAttribute.Datatype.STRING: lambda: _("Short text on one line."),
    CategoryAttribute.Datatype.NUMBER: lambda: _("A number, for example 3 or 2.5."),
    CategoryAttribute.Datatype.DATETIME: lambda: _("A date and time in ISO 8601, for example 2026-03-01T14:30:00-05:00."),
    CategoryAttribute.Datatype.TEXT: lambda: _("Text; line breaks are allowed."),
    CategoryAttribute.Datatype.SINGLEVALUELIST: lambda: _("Send the key of one of the values."),
    CategoryAttribute.Datatype.MULTIVALUELIST: lambda: _("Send the keys of one or more values as attribute[code][]."),
}


def service_definition(service_code: str) -> dict:
    category = Category.objects.listed().filter(code=service_code).first()
    if category is None:
        raise Open311Error(404, _("service_code %(code)s not found.") % {"code": service_code})
    attributes = []
    # The spec wants `order` to be a positive integer unique within the service: the position is both.
    for position, attribute in enumerate(category.attributes.all(), start=1):
        item = {
            "variable": True,
            "code": attribute.code,
            "datatype": attribute.datatype,
            "required": attribute.required,
            "datatype_description": DATATYPE_DESCRIPTIONS[attribute.datatype](),
            "order": position,
            "description": attribute.description,
        }
        if attribute.is_list:
            item["values"] = [{"key": key, "name": name} for key, name in attribute.localized_values()]
        attributes.append(item)
    return {"service_code": category.code, "attributes": attributes}


# --- Requests: filters --------------------------------------------------------------------------


@dataclass
class RequestFilters:
    ids: list[str]
    service_codes: list[str]
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    updated_after: dt.datetime | None = None
    updated_before: dt.datetime | None = None
    statuses: tuple[str, ...] = ()
    page: int = 1
    page_size: int = MAX_PAGE_SIZE
    extensions: bool = False


def _comma_list(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def parse_w3c(value: str) -> dt.datetime | None:
    """A W3C datetime (2010-01-01T00:00:00Z, with an offset, or a bare date); naive values are local time."""
    value = value.strip()
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is None:
                return None
            parsed = dt.datetime.combine(day, dt.time())
    except ValueError:  # well formed but impossible, such as month 13: Django raises instead of returning None
        return None
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


_ASCII_DIGITS = re.compile(r"[0-9]{1,12}")


def _positive_int(params, name: str, default: int, maximum: int, problems: list[str]) -> int:
    raw = (params.get(name) or "").strip()
    if not raw:
        return default
    # ASCII digits only, and few of them: str.isdigit() accepts "²" (which int() refuses) and int()
    # refuses more than 4,300 digits; both would be a server error instead of this message.
    if not _ASCII_DIGITS.fullmatch(raw) or not 1 <= int(raw) <= maximum:
        problems.append(_("%(name)s must be a whole number from 1 to %(maximum)d.") % {"name": name, "maximum": maximum})
        return default
    return int(raw)


def parse_filters(params) -> RequestFilters:
    """Read GET requests' query arguments; raises Open311Error(400) naming every bad argument."""
    problems: list[str] = []
    dates: dict[str, dt.datetime | None] = {}
    for name in ("start_date", "end_date", "updated_after", "updated_before"):
        raw = (params.get(name) or "").strip()
        dates[name] = parse_w3c(raw) if raw else None
        if raw and dates[name] is None:
            problems.append(
                _("%(name)s must be a W3C datetime such as 2026-03-01T00:00:00-05:00.") % {"name": name}
            )
    statuses = tuple(_comma_list(params.get("status")))
    if any(status not in ("open", "closed") for status in statuses):
        problems.append(_("status must be open, closed or both separated by a comma."))
    ids = _comma_list(params.get("service_request_id"))
    if len(ids) > MAX_PAGE_SIZE:
        problems.append(_("At most %(count)d service_request_id values at once.") % {"count": MAX_PAGE_SIZE})
    start, end = dates["start_date"], dates["end_date"]
    if start and end and end < start:
        problems.append(_("end_date is earlier than start_date."))
    elif start and end and end - start > DEFAULT_WINDOW:
        problems.append(_("start_date and end_date may not span more than 90 days; ask for one window at a time."))
    filters = RequestFilters(
        ids=ids,
        service_codes=_comma_list(params.get("service_code")),
        start=start,
        end=end,
        updated_after=dates["updated_after"],
        updated_before=dates["updated_before"],
        statuses=statuses,
        page=_positive_int(params, "page", 1, 1_000_000, problems),
        page_size=_positive_int(params, "page_size", MAX_PAGE_SIZE, MAX_PAGE_SIZE, problems),
        extensions=(params.get("extensions") or "").strip().lower() == "true",
    )
    if problems:
        raise Open311Error(400, *problems)
    return filters


# --- Requests: query and documents --------------------------------------------------------------


# Read as plain values, not model instances: a page holds up to 1,000 requests, and building Case
# objects (with their state machine) costs more than the query itself.
REQUEST_COLUMNS = (
    "pk", "number", "state", "public_text", "address", "lat", "lon", "created_at", "updated_at", "due_at",
    "category__code", "category__name_es", "category__name_en", "entity__name",
    "status_notes", "image_id", "submitted_media_url",
)


def public_requests() -> QuerySet:
    """Public cases with what one GeoReport request needs, in one query (no N+1 over 1,000 rows)."""
    last_note = (
        CaseEvent.objects.public()
        .filter(case=OuterRef("pk"))
        .exclude(message="")
        .order_by("-created_at", "-pk")
        .values("message")[:1]
    )
    first_image = (
        Attachment.objects.filter(case=OuterRef("pk"), public=True, content_type__startswith="image/")
        .order_by("created_at", "pk")
        .values("pk")[:1]
    )
    return (
        Case.objects.public()
        .annotate(
            status_notes=Subquery(last_note),
            image_id=Subquery(first_image),
            submitted_media_url=F("open311_submission__media_url"),
            # Case.public_text: the moderated description when there is one (personal data redacted).
            public_text=Coalesce(NullIf("public_description", Value("")), "description", output_field=TextField()),
        )
        .values(*REQUEST_COLUMNS)
    )


def filter_requests(filters: RequestFilters, now: dt.datetime | None = None) -> QuerySet:
    cases = public_requests()
    if filters.ids:
        # The spec: a list of ids overrides every other argument.
        return cases.filter(number__in=filters.ids).order_by("-created_at", "-pk")
    if filters.service_codes:
        # Ids, not a join on the code: with category_id known the planner walks the (category, created_at)
        # index newest first and stops after one page, instead of collecting every match to sort it.
        category_ids = list(Category.objects.filter(code__in=filters.service_codes).values_list("pk", flat=True))
        cases = cases.filter(category_id__in=category_ids)
    if filters.statuses and set(filters.statuses) != {"open", "closed"}:
        cases = cases.filter(state__in=OPEN_STATES if filters.statuses[0] == "open" else CLOSED_STATES)
    start, end = filters.start, filters.end
    if start or end:
        start = start or end - DEFAULT_WINDOW
        end = end or start + DEFAULT_WINDOW
        cases = cases.filter(created_at__gte=start, created_at__lte=end)
    elif not (filters.updated_after or filters.updated_before):
        # No window at all: the spec's default, the most recent 90 days.
        cases = cases.filter(created_at__gte=(now or timezone.now()) - DEFAULT_WINDOW)
    if filters.updated_after:
        cases = cases.filter(updated_at__gt=filters.updated_after)
    if filters.updated_before:
        cases = cases.filter(updated_at__lt=filters.updated_before)
    offset = (filters.page - 1) * filters.page_size
    return cases.order_by("-created_at", "-pk")[offset : offset + filters.page_size]


def timelines(case_ids: list[int]) -> dict[int, list[dict]]:
    """The public events of each case (the extensions=true field): what happened, when, the state it left."""
    events = (
        CaseEvent.objects.public()
        .filter(case_id__in=case_ids)
        .order_by("case_id", "created_at", "pk")
        .values_list("case_id", "kind", "to_state", "message", "created_at")
    )
    found: dict[int, list[dict]] = {case_id: [] for case_id in case_ids}
    state: dict[int, str] = {}
    for case_id, kind, to_state, message, created_at in events:
        state[case_id] = to_state or state.get(case_id, "received")
        found[case_id].append(
            {"kind": kind, "datetime": w3c(created_at), "status": state[case_id], "notes": blank_to_none(message)}
        )
    return found


def media_url(row: dict, absolute: Absolute) -> str | None:
    if row["image_id"]:
        return absolute(reverse("open311:media", kwargs={"pk": row["image_id"]}))
    return blank_to_none(row["submitted_media_url"])


def request_document(row: dict, absolute: Absolute, language: str) -> dict:
    """One GeoReport request, fields in the spec's order. Never a reporter's name, email or phone."""
    return {
        "service_request_id": row["number"],
        "status": open311_status(row["state"]),
        "status_notes": blank_to_none(row["status_notes"]),
        # Category.name's rule (the active language, Spanish when missing), on a plain row.
        "service_name": row.get(f"category__name_{language}") or row[f"category__name_{settings.LANGUAGE_CODE}"],
        "service_code": row["category__code"],
        "description": blank_to_none(row["public_text"]),
        "agency_responsible": row["entity__name"],
        "service_notice": None,
        "requested_datetime": w3c(row["created_at"]),
        "updated_datetime": w3c(row["updated_at"]),
        "expected_datetime": w3c(row["due_at"]),
        "address": blank_to_none(row["address"]),
        "address_id": None,
        "zipcode": None,
        "lat": row["lat"],
        "long": row["lon"],
        "media_url": media_url(row, absolute),
    }


def request_list(cases: QuerySet, absolute: Absolute, extensions: bool = False) -> list[dict]:
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    rows = list(cases)
    documents = [request_document(row, absolute, language) for row in rows]
    if extensions:
        events = timelines([row["pk"] for row in rows])
        for row, document in zip(rows, documents):
            document["timeline"] = events[row["pk"]]
    return documents


def single_request(service_request_id: str, absolute: Absolute, extensions: bool = False) -> list[dict]:
    cases = public_requests().filter(number=service_request_id)
    found = request_list(cases, absolute, extensions)
    if not found:
        raise Open311Error(404, _("service_request_id %(id)s not found.") % {"id": service_request_id})
    return found


def token_lookup(token: str) -> list[dict]:
    submission = (
        Submission.objects.filter(token=token, case__in=Case.objects.public())
        .select_related("case")
        .only("token", "case__number")
        .first()
    )
    if submission is None:
        raise Open311Error(404, _("token %(token)s not found.") % {"token": token})
    return [{"service_request_id": submission.case.number, "token": submission.token}]
