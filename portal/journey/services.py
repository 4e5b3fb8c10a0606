"""What the 311 journey pages do besides rendering: file a report with its photos in one go, answer an
information request, read the public timeline, throttle tracking lookups, write the receipt."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import services as case_services
from cases.attachments import CleanUpload, discard_files, store_upload
from cases.models import Attachment, Case, CaseEvent, Category, Channel, RejectionReason, State
from cases.routing import REASONS
from cases.services import Actor
from cases.validation import NewCase


def file_case(
    data: NewCase,
    uploads: Iterable[CleanUpload],
    *,
    categories,
    reporter_user=None,
    allow_pdf: bool = False,
) -> Case:
    """Create the case and store its files in one transaction: all of it is kept, or none of it.

    The uploads were validated already (the form does it before anything is written), so what can
    still fail here is the database or the disk; then the files written so far are removed too.
    """
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            case = case_services.create_case(
                data, actor=Actor(channel=Channel.WEB), categories=categories, reporter_user=reporter_user
            )
            for upload in uploads:
                stored.append(store_upload(case, upload, allow_pdf=allow_pdf))
    except BaseException:
        discard_files(stored)
        raise
    return case


def reply_to_request(case: Case, reply: str, uploads: Iterable[CleanUpload]) -> Case:
    """The citizen's answer to an information request, with an optional photo on the same event."""
    stored: list[Attachment] = []
    try:
        with transaction.atomic():
            case = case_services.citizen_reply(case, reply, channel=Channel.WEB)
            event = case.events.filter(kind=CaseEvent.Kind.CITIZEN_REPLIED).order_by("-created_at", "-pk").first()
            for upload in uploads:
                stored.append(store_upload(case, upload, event=event))
    except BaseException:
        discard_files(stored)
        raise
    return case


MOST_REPORTED_SHOWN = 6
MOST_REPORTED_DAYS = 90
MOST_REPORTED_CACHE_SECONDS = 3600


def most_reported(listed: list[Category]) -> list[Category]:
    """The listed categories citizens reported most in the last MOST_REPORTED_DAYS days (public cases)."""

    def count() -> list[str]:
        since = timezone.now() - timedelta(days=MOST_REPORTED_DAYS)
        rows = (
            Case.objects.public()
            .filter(created_at__gte=since, category__public=True, category__active=True)
            .values("category__code")
            .annotate(n=Count("pk"))
            .order_by("-n", "category__code")[: MOST_REPORTED_SHOWN * 2]
        )
        return [row["category__code"] for row in rows]

    codes = cache.get_or_set("portal:report:most_reported", count, MOST_REPORTED_CACHE_SECONDS)
    by_code = {category.code: category for category in listed}
    return [by_code[code] for code in codes if code in by_code][:MOST_REPORTED_SHOWN]


def find_by_token(token: str) -> Case | None:
    """The case whose tracking token this is. Sensitive cases too: the token is their only way in."""
    if not token or len(token) > 64:
        return None
    return (
        Case.objects.filter(tracking_token=token)
        .select_related("category", "entity", "district", "district__province")
        .first()
    )


def find_public_by_number(number: str) -> Case | None:
    """A case anyone may read (Case.objects.public(): never a sensitive case, never spam), by its number."""
    if not number:
        return None
    return Case.objects.public().filter(number=number).select_related("category", "entity").first()


def find_by_lookup(code: str, number: str) -> Case | None:
    """With a code, number and code must belong to the same case (the full tracking page)."""
    case = find_by_token(code)
    if case is None or (number and number != case.number):
        return None
    return case


# --- Confirmations shown once ------------------------------------------------------------------
# An anonymous sender's tracking code stays in the session only until the confirmation page shows it.

ONE_TIME_KEY = "journey_show_once"


def show_once(request: HttpRequest, case: Case) -> None:
    request.session[ONE_TIME_KEY] = case.tracking_token


def take_once(request: HttpRequest) -> Case | None:
    token = request.session.pop(ONE_TIME_KEY, None)
    return find_by_token(token) if token else None


# --- The public timeline ----------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineEntry:
    at: datetime
    title: str
    detail: str
    state: str  # a State label, or ""


def public_timeline(case: Case) -> list[TimelineEntry]:
    """The public events in the reader's language. Staff names are never shown, only entities; the
    citizen's own replies are acknowledged but not repeated, since a shared link would show them."""
    entries = []
    for event in case.events.public().select_related("entity", "previous_entity"):
        title = str(CaseEvent.Kind(event.kind).label) if event.kind in CaseEvent.Kind.values else event.kind
        state = str(State(event.to_state).label) if event.to_state in State.values else ""
        entries.append(
            TimelineEntry(
                at=event.created_at,
                title=title,
                detail=_event_detail(event),
                # "Assigned · Assigned" says nothing twice; the state is shown when it adds something.
                state="" if state == title else state,
            )
        )
    return entries


def _event_detail(event: CaseEvent) -> str:
    Kind = CaseEvent.Kind
    entity = event.entity.name if event.entity else ""
    if event.kind == Kind.CREATED:
        return _("We received the report.")
    if event.kind == Kind.ROUTED:
        reason = str(REASONS[event.reason]) if event.reason in REASONS else ""
        return _("%(reason)s Institution: %(entity)s.") % {"reason": reason, "entity": entity} if entity else reason
    if event.kind == Kind.ASSIGNED:
        return _("%(entity)s assigned someone to the case.") % {"entity": entity} if entity else ""
    if event.kind == Kind.TRANSFERRED:
        transferred = _("Transferred to %(entity)s.") % {"entity": entity} if entity else ""
        return " ".join(filter(None, [transferred, event.message]))
    if event.kind == Kind.CITIZEN_REPLIED:
        return _("Your answer was received.")
    if event.kind == Kind.REOPENED:
        return _("You said the problem is not solved; the case was reopened.")
    if event.kind == Kind.REJECTED:
        reason = str(RejectionReason(event.reason).label) if event.reason in RejectionReason.values else ""
        return " ".join(filter(None, [reason + "." if reason else "", event.message]))
    return event.message


def can_reopen(case: Case) -> bool:
    return case.state in (State.RESOLVED, State.CLOSED) and case.within_reopen_window()


def reopen_deadline(case: Case) -> datetime | None:
    if case.resolved_at is None:
        return None
    return case.resolved_at + timedelta(days=settings.CASE_REOPEN_WINDOW_DAYS)


# GOV.UK tag colours: open work in blues, a question for the citizen in yellow, done in green.
STATE_TAGS = {
    State.RECEIVED: "govuk-tag--blue",
    State.ASSIGNED: "govuk-tag--light-blue",
    State.IN_PROGRESS: "govuk-tag--turquoise",
    State.WAITING_CITIZEN: "govuk-tag--yellow",
    State.RESOLVED: "govuk-tag--green",
    State.CLOSED: "govuk-tag--grey",
    State.REJECTED: "govuk-tag--red",
    State.REOPENED: "govuk-tag--orange",
}


# --- Throttling lookups -----------------------------------------------------------------------
# Only failed lookups count: a citizen reloading their own page is never slowed down, a script trying
# tokens or number/code pairs is. The cache key is a keyed hash of the address, and it expires; no
# address is ever written to the database.


def _client_key(request: HttpRequest) -> str:
    address = request.META.get("REMOTE_ADDR", "")
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]
    return f"journey:lookup-failures:{digest}"


def lookups_blocked(request: HttpRequest) -> bool:
    return (cache.get(_client_key(request)) or 0) >= settings.TRACKING_LOOKUP_FAILURES_PER_HOUR


def record_failed_lookup(request: HttpRequest) -> None:
    key = _client_key(request)
    if cache.add(key, 1, timeout=3600):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add() and incr()
        cache.add(key, 1, timeout=3600)


# --- The receipt ------------------------------------------------------------------------------


def receipt_text(case: Case, tracking_url: str) -> str:
    """The plain text receipt: what a citizen needs to follow the case, and nothing personal."""
    local = timezone.localtime
    entity = case.entity.name if case.entity else _("The 311 centre will send it to the right institution.")
    rows = [
        (_("Case number"), case.number),
        (_("Kind of problem"), case.category.name),
        (_("Received"), f"{local(case.created_at):%Y-%m-%d %H:%M}"),
        (_("Institution in charge"), entity),
    ]
    if case.due_at:
        rows.append((_("Answer due by"), f"{local(case.due_at):%Y-%m-%d}"))
    lines = [
        _("Ventanilla — receipt of your report"),
        "",
        *(f"{label}: {value}" for label, value in rows),
        "",
        _("Follow your case at this address (keep it private: anyone with it can see the case):"),
        tracking_url,
        "",
        "%s: %s" % (_("Tracking code"), case.tracking_token),
        "",
    ]
    return "\r\n".join(lines)
