"""The queue: which cases a member of staff works, filtered, sorted and paged by keyset (no OFFSET), with
per-state counts capped at COUNT_CAP so that no page view counts a whole 100,000-case queue."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connections
from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cases.models import OPEN_STATES, Case, State
from cases.sla import WorkCalendar, due_soon_until

PAGE_SIZE = 50
COUNT_CAP = 1000
NUMBER = re.compile(r"^\d{4}-\d{1,6}$")

# The columns a page of the queue reads (backoffice/queue_rows.py writes them; due_at, resolved_at and
# state give the service level; created_at and due_at are the sort keys).
ROW_FIELDS = (
    "pk", "number", "state", "due_at", "created_at", "resolved_at",
    "category__name_es", "category__name_en", "assignee__username", "district__name",
)

# sort name -> (field, descending)
SORTS = {"due": ("due_at", False), "oldest": ("created_at", False), "newest": ("created_at", True)}


def scope(user) -> QuerySet:
    """The cases of the user's work (Case.objects.work_of: their entity's for staff and supervisors,
    sensitive ones for investigators, every non-sensitive one for 311 agents and administrators)."""
    return Case.objects.work_of(user)


def filtered(user, data: dict, now: dt.datetime | None = None, calendar: WorkCalendar | None = None) -> QuerySet:
    """The queue's cases for the cleaned QueueForm data, without the state filter's cap or the page."""
    cases = scope(user)
    if data.get("category"):
        cases = cases.filter(category=data["category"])
    if data.get("district"):
        cases = cases.filter(district=data["district"])
    if data.get("channel"):
        cases = cases.filter(channel=data["channel"])
    if data.get("assigned") == "me":
        cases = cases.filter(assignee=user)
    elif data.get("assigned") == "none":
        cases = cases.filter(assignee__isnull=True)
    now = now or timezone.now()
    if data.get("level") == "overdue":
        cases = cases.filter(state__in=OPEN_STATES, due_at__lt=now)
    elif data.get("level") == "due_soon":
        cases = cases.filter(state__in=OPEN_STATES, due_at__gte=now, due_at__lte=due_soon_until(calendar or WorkCalendar(), now))
    text = (data.get("q") or "").strip()
    if text:
        if NUMBER.match(text):
            year, seq = text.split("-")
            cases = cases.filter(number=Case.format_number(int(year), int(seq)))
        else:
            cases = cases.filter(Q(description__icontains=text) | Q(address__icontains=text))
    return cases


def with_state(cases: QuerySet, state: str) -> QuerySet:
    if state in ("", "open"):
        return cases.filter(state__in=OPEN_STATES)
    if state in State.values:
        return cases.filter(state=state)
    return cases


def state_counts(cases: QuerySet) -> list[tuple[str, str, int, bool]]:
    """(state, label, count, capped) per open state; each count reads at most COUNT_CAP + 1 rows. Closed
    states are history (always "more than 1,000" in a working entity) and are not counted on every view."""
    # One statement: each state's capped subquery, counted together (five round trips were a tenth of
    # the queue page's database time).
    parts, params = [], []
    for state in OPEN_STATES:
        sql, part_params = cases.filter(state=state.value).order_by().values("state")[: COUNT_CAP + 1].query.sql_with_params()
        parts.append(f"SELECT state FROM ({sql}) AS s{len(parts)}")  # noqa: S608 - Django-compiled SQL, values are parameters
        params.extend(part_params)
    statement = f"SELECT state, COUNT(*) FROM ({' UNION ALL '.join(parts)}) AS capped GROUP BY state"  # noqa: S608 - as above
    with connections[cases.db].cursor() as cursor:
        cursor.execute(statement, params)
        counted = dict(cursor.fetchall())
    return [
        (state.value, state.label, min(counted.get(state.value, 0), COUNT_CAP), counted.get(state.value, 0) > COUNT_CAP)
        for state in OPEN_STATES
    ]


@dataclass
class Page:
    cases: list
    next_cursor: str | None


def encode_cursor(case: Case, sort: str) -> str:
    field, _desc = SORTS[sort]
    value = getattr(case, field)
    return f"{value.isoformat() if value else 'null'}|{case.pk}"


def decode_cursor(cursor: str) -> tuple[dt.datetime | None, int] | None:
    try:
        raw, pk = cursor.rsplit("|", 1)
        value = None if raw == "null" else parse_datetime(raw)
        if raw != "null" and value is None:
            return None
        return value, int(pk)
    except (ValueError, TypeError):
        return None


def page(cases: QuerySet, sort: str, cursor: str | None) -> Page:
    """One page after `cursor` in the sort order: WHERE (key, pk) > (value, pk) ORDER BY key, pk LIMIT n."""
    sort = sort if sort in SORTS else "due"
    field, desc = SORTS[sort]
    after = decode_cursor(cursor) if cursor else None
    if after is not None:
        value, pk = after
        if desc:
            cases = cases.filter(Q(**{f"{field}__lt": value}) | Q(**{field: value, "pk__lt": pk}))
        elif value is None:  # inside the tail of cases without a due date (sorted last)
            cases = cases.filter(**{f"{field}__isnull": True, "pk__gt": pk})
        else:
            cases = cases.filter(
                Q(**{f"{field}__gt": value}) | Q(**{field: value, "pk__gt": pk}) | Q(**{f"{field}__isnull": True})
            )
    # created_at is never null: a plain DESC reads the (entity, created_at, id) index backwards, where
    # "DESC NULLS LAST" would not match it. due_at may be null; ASC puts nulls last in PostgreSQL already.
    order = [F(field).desc(), "-pk"] if desc else [F(field).asc(nulls_last=True), "pk"]
    rows = list(
        cases.select_related("category", "assignee", "district")
        # What a row shows and its service level needs, nothing more: reading every column of fifty cases
        # (description, attributes' JSON) and of their entities was a twentieth of the page's CPU time.
        .only(*ROW_FIELDS)
        .order_by(*order)[: PAGE_SIZE + 1]
    )
    more = len(rows) > PAGE_SIZE
    rows = rows[:PAGE_SIZE]
    return Page(rows, encode_cursor(rows[-1], sort) if more and rows else None)
