"""What the desk pages read, scoped through the querysets (`Case.objects.visible_to(user)`) and the
user's roles: a caller's cases, a supervisor's entities, team workload, overdue cases and the
catalog's procedures that need a review."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from cases.contact import normalize_national_id, normalize_phone
from cases.models import OPEN_STATES, Case, CaseContact, Category
from catalog.models import Procedure
from entities.models import Entity, Membership
from entities.querysets import Roles

CALLER_RESULTS_LIMIT = 20
LIST_PAGE_SIZE = 50
_CASE_NUMBER = re.compile(r"^(\d{4})-(\d{1,6})$")
_FULL_CASE_NUMBER = re.compile(r"^\d{4}-\d{6}$")


def supervised_entities(user) -> QuerySet[Entity]:
    """The entities whose supervisor pages this user may open: those they supervise."""
    return Entity.objects.filter(pk__in=Roles.of(user).supervisor_entities, active=True).order_by("name")


def audited_entities(user) -> QuerySet[Entity]:
    """Entities whose history this user may read: every one for administrators, else those they supervise."""
    if Roles.of(user).is_admin:
        return Entity.objects.order_by("name")
    return supervised_entities(user)


def console_cases(user) -> QuerySet[Case]:
    """What the agent console may list: what the user sees, never a sensitive complaint."""
    return Case.objects.visible_to(user).filter(category__sensitive=False)


@dataclass
class CallerSearch:
    """A caller's cases found by case number, phone, e-mail or cédula, and how the words were read."""

    query: str
    kind: str = ""  # "number", "email", "phone_or_id" or "" (nothing usable)
    cases: list[Case] = field(default_factory=list)
    phone: str = ""
    national_id: str = ""
    email: str = ""

    @property
    def prefill(self) -> dict[str, str]:
        """What the new-case form can take from the search (the caller just said it)."""
        data = {}
        if self.email:
            data["contact_email"] = self.email
        if self.kind == "phone_or_id" and not _FULL_CASE_NUMBER.match(self.query):
            # Digits with a leading 6 or + are a phone in the jurisdiction; the rest a cédula.
            data["contact_phone" if self.phone and self.query.lstrip().startswith(("+", "6", "(")) else "contact_national_id"] = self.query
        return data


def find_callers_cases(user, raw: str) -> CallerSearch:
    """The caller's cases, newest first. "6123-4567" reads as a case number, a phone and a cédula at
    once, so every reading is tried; each is an indexed lookup (the contact's normalised columns, the
    case number), combined by primary key rather than an OR across the join."""
    query = " ".join((raw or "").split())[:80]
    search = CallerSearch(query=query)
    if not query:
        return search
    contacts = CaseContact.objects.none()
    rule = Q(pk__in=[])
    if "@" in query:
        search.kind, search.email = "email", query
        contacts = CaseContact.objects.filter(email__iexact=query)
    else:
        search.phone, search.national_id = normalize_phone(query), normalize_national_id(query)
        contact_rule = Q(pk__in=[])
        if search.phone:
            contact_rule |= Q(phone_normalized=search.phone)
        if search.national_id:
            contact_rule |= Q(national_id_normalized=search.national_id)
        contacts = CaseContact.objects.filter(contact_rule)
        if search.phone or search.national_id:
            search.kind = "phone_or_id"
        number = _CASE_NUMBER.match(query)
        if number:
            search.kind = search.kind or "number"
            rule |= Q(number=Case.format_number(int(number.group(1)), int(number.group(2))))
    if not search.kind:
        return search
    case_ids = list(contacts.values_list("case_id", flat=True)[: CALLER_RESULTS_LIMIT * 10])
    rule |= Q(pk__in=case_ids)
    cases = console_cases(user).select_related("category", "entity").filter(rule)
    search.cases = list(cases.order_by("-created_at", "-pk")[:CALLER_RESULTS_LIMIT])
    return search


@dataclass
class WorkloadRow:
    member: object | None  # None: the cases nobody holds yet
    open: int = 0
    overdue: int = 0
    resolved_this_month: int = 0


def month_start(now: datetime | None = None) -> datetime:
    local = timezone.localtime(now or timezone.now())
    return local.replace(day=1, hour=0, minute=0, second=0, microsecond=0)


def team_workload(user, entity: Entity, now: datetime | None = None) -> list[WorkloadRow]:
    """Open, overdue and resolved-this-month cases per member of the entity (and unassigned), one
    grouped query over the entity's queue index."""
    now = now or timezone.now()
    since = month_start(now)
    is_open = Q(state__in=OPEN_STATES)
    counts = (
        Case.objects.visible_to(user)
        .filter(entity=entity)
        .filter(is_open | Q(resolved_at__gte=since))
        .values("assignee")
        .annotate(
            open=Count("pk", filter=is_open),
            overdue=Count("pk", filter=is_open & Q(due_at__lt=now)),
            resolved=Count("pk", filter=Q(resolved_at__gte=since)),
        )
    )
    by_assignee = {row["assignee"]: row for row in counts}
    member_ids = set(
        Membership.objects.filter(
            entity=entity, role__in=[Membership.Role.STAFF, Membership.Role.SUPERVISOR], user__is_active=True
        ).values_list("user_id", flat=True)
    )
    people = get_user_model().objects.filter(pk__in=member_ids | {k for k in by_assignee if k}).order_by("username")
    rows = []
    for person in people:
        row = by_assignee.get(person.pk, {})
        rows.append(WorkloadRow(person, row.get("open", 0), row.get("overdue", 0), row.get("resolved", 0)))
    nobody = by_assignee.get(None, {})
    rows.append(WorkloadRow(None, nobody.get("open", 0), nobody.get("overdue", 0), nobody.get("resolved", 0)))
    return rows


def overdue_cases(user, entity: Entity, *, after: str = "", now: datetime | None = None) -> tuple[list[Case], str]:
    """The entity's open cases past their due date, most overdue first, a page at a time (keyset:
    `after` is the last row's "<due timestamp>_<pk>", so page 50 costs what page 1 does)."""
    now = now or timezone.now()
    cases = (
        Case.objects.visible_to(user)
        .filter(entity=entity, state__in=OPEN_STATES, due_at__lt=now)
        .select_related("category", "assignee")
        .order_by("due_at", "pk")
    )
    cursor = parse_cursor(after)
    if cursor:
        due, pk = cursor
        cases = cases.filter(Q(due_at__gt=due) | Q(due_at=due, pk__gt=pk))
    page = list(cases[: LIST_PAGE_SIZE + 1])
    more = len(page) > LIST_PAGE_SIZE
    page = page[:LIST_PAGE_SIZE]
    next_cursor = encode_cursor(page[-1].due_at, page[-1].pk) if more else ""
    return page, next_cursor


def encode_cursor(stamp: datetime, pk: int) -> str:
    """A keyset position: the last row's timestamp (exact, ISO 8601) and its id."""
    return f"{stamp.isoformat()}_{pk}"


def parse_cursor(raw: str) -> tuple[datetime, int] | None:
    try:
        stamp, pk = (raw or "").rsplit("_", 1)
        parsed = datetime.fromisoformat(stamp)
    except ValueError:
        return None
    if parsed.tzinfo is None or not pk.isdigit():
        return None
    return parsed, int(pk)


def owned_categories(entities) -> QuerySet[Category]:
    """Categories these entities own (their settings are their supervisors'). Sensitive ones belong to
    the oversight body and are set by administrators."""
    return Category.objects.filter(owner__in=entities, active=True, sensitive=False).order_by("name_es")


def entity_procedures(entity: Entity) -> QuerySet[Procedure]:
    return Procedure.objects.filter(entity=entity).order_by("name")


def outdated_reports(user, entity: Entity) -> QuerySet[Case]:
    """Open "this page is out of date" reports about the entity's procedures."""
    return (
        Case.objects.visible_to(user)
        .filter(entity=entity, category__code=settings.CATALOG_OUTDATED_CATEGORY, state__in=OPEN_STATES)
        .select_related("procedure")
        .order_by("created_at", "pk")
    )
