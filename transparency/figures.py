"""The monthly figures, computed by SQL aggregation (no Python loop over cases).

Every query groups by (entity, category); Python then adds those cells up into entity totals and the
national totals, and reads the percentiles off a histogram of business days per cell. The definitions
(what counts as received, closed, returned, ...) are on the methodology page (docs/transparency.md);
the queries below are their only implementation.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from fractions import Fraction
from math import ceil
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, DateTimeField, F, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Greatest
from django.utils import timezone

from backoffice.models import InformationContact
from cases.models import ONLINE_CHANNELS, OPEN_STATES, Case, CaseEvent, Category, Channel, RejectionReason, State, SurveyResponse
from entities.models import Entity

from ventanilla.dbrouter import primary_reads

from .calendar import business_index, calendar_indices, fill_calendar

SDG_ATTRIBUTES = SurveyResponse.SDG_ATTRIBUTES
DONE = [State.RESOLVED, State.CLOSED]
COUNTS = (
    "received", "imported", "closed", "closed_within_sla", "backlog", "overdue", "returned", "reopened",
    "transferred_out", "surveys", "satisfaction_sum", "satisfied", "solved",
    *(f"{a}_{part}" for a in SDG_ATTRIBUTES for part in ("agree", "answered")),
)  # fmt: skip


def month_bounds(year: int, month: int) -> tuple[dt.datetime, dt.datetime]:
    """The month as [start, end) instants of the jurisdiction's local time."""
    tz = timezone.get_default_timezone()
    start = timezone.make_aware(dt.datetime(year, month, 1), tz)
    end = timezone.make_aware(dt.datetime(year + month // 12, month % 12 + 1, 1), tz)
    return start, end


def figures_closed_at() -> SqlCase:
    """When a case counts as closed for the figures (NULL while it does not).

    Resolved or closed: its (last) resolution. Rejected as a duplicate: when its original was closed
    (resolved, or itself rejected), but never before its own rejection. Not competent and spam: never.
    """
    dup = Q(rejection_reason=RejectionReason.DUPLICATE)
    return SqlCase(
        When(dup & Q(duplicate_of__isnull=True), then=F("closed_at")),
        When(dup & Q(duplicate_of__state__in=DONE), then=Greatest("duplicate_of__resolved_at", "closed_at")),
        When(dup & Q(duplicate_of__state=State.REJECTED), then=Greatest("duplicate_of__closed_at", "closed_at")),
        When(Q(rejection_reason="") & Q(state__in=DONE), then=F("resolved_at")),
        default=Value(None),
        output_field=DateTimeField(),
    )


@dataclass
class Tally:
    """The additive counts of one cell (entity × category) or of any sum of cells."""

    counts: Counter = field(default_factory=Counter)
    days: Counter = field(default_factory=Counter)  # business days to close -> number of cases

    def add(self, other: "Tally") -> None:
        self.counts.update(other.counts)
        self.days.update(other.days)

    def figures(self) -> dict[str, Any]:
        c = self.counts
        out: dict[str, Any] = {name: c[name] for name in COUNTS}
        out["within_sla_pct"] = pct(c["closed_within_sla"], c["closed"])
        out["median_days"] = percentile(self.days, 0.5)
        out["p90_days"] = percentile(self.days, 0.9)
        out["satisfaction_avg"] = round(c["satisfaction_sum"] / c["surveys"], 2) if c["surveys"] else None
        out["satisfied_pct"] = pct(c["satisfied"], c["surveys"])
        out["solved_pct"] = pct(c["solved"], c["surveys"])
        out["response_rate_pct"] = pct(c["surveys"], c["closed"])
        shares = {a: pct(c[f"{a}_agree"], c[f"{a}_answered"]) for a in SDG_ATTRIBUTES}
        out["sdg"] = {a: {"agree": c[f"{a}_agree"], "answered": c[f"{a}_answered"], "pct": shares[a]} for a in SDG_ATTRIBUTES}
        known = [s for s in shares.values() if s is not None]
        out["sdg_average_pct"] = round(sum(known) / len(known), 1) if known else None
        return out


def pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def percentile(histogram: Counter, p: float) -> int | None:
    """Nearest rank: the smallest value with at least p of the cases at or below it (the lower median)."""
    total = sum(histogram.values())
    if not total:
        return None
    rank, seen = ceil(p * total), 0
    for value in sorted(histogram):
        seen += histogram[value]
        if seen >= rank:
            return value
    return None  # unreachable: the loop always reaches `total`


def _window(qs: QuerySet, column: str, start, end) -> QuerySet:
    return qs.filter(**{f"{column}__gte": start, f"{column}__lt": end})


class MonthComputation:
    """Runs the aggregation queries of one month and folds their rows into cells."""

    def __init__(self, year: int, month: int) -> None:
        self.year, self.month = year, month
        self.start, self.end = month_bounds(year, month)
        self.cells: dict[tuple[int | None, int], Tally] = defaultdict(Tally)
        self.cases = Case.objects.exclude(rejection_reason=RejectionReason.SPAM)

    def _fold(self, rows, names: tuple[str, ...]) -> None:
        for row in rows:
            counts = self.cells[(row["e"], row["c"])].counts
            for name in names:
                counts[name] += row[name] or 0

    def run(self) -> None:
        start, end, cases = self.start, self.end, self.cases
        cell = {"e": F("entity_id"), "c": F("category_id")}
        received = _window(cases, "created_at", start, end).values(**cell)
        self._fold(received.annotate(received=Count("id"), imported=Count("id", filter=~Q(source=""))), ("received", "imported"))

        # Cases that are not duplicates close at their own resolution: no join, plain columns. Duplicates
        # (a few per cent) are taken apart, with the join to their original that their closing needs.
        plain = cases.filter(rejection_reason="")
        duplicates = cases.filter(rejection_reason=RejectionReason.DUPLICATE).annotate(fc=figures_closed_at())
        resolved = _window(plain.filter(state__in=DONE), "resolved_at", start, end).annotate(fc=F("resolved_at"))
        calendar = calendar_indices()
        for closed in (resolved, _window(duplicates, "fc", start, end)):
            closed = closed.annotate(days=business_index("fc", calendar) - business_index("created_at", calendar))
            rows = closed.values("days", **cell).annotate(closed=Count("id"), closed_within_sla=Count("id", filter=Q(fc__lte=F("due_at"))))
            for row in rows:
                tally = self.cells[(row["e"], row["c"])]
                tally.counts["closed"] += row["closed"]
                tally.counts["closed_within_sla"] += row["closed_within_sla"]
                tally.days[row["days"]] += row["closed"]

        # Open at the end: received before it, and neither closed nor returned before it.
        still_open = (
            Q(rejection_reason="", state__in=OPEN_STATES)
            | Q(rejection_reason="", state__in=DONE, resolved_at__gte=end)
            | Q(rejection_reason=RejectionReason.NOT_COMPETENT, closed_at__gte=end)
        )
        open_duplicates = duplicates.filter(Q(fc__isnull=True) | Q(fc__gte=end))
        for open_at_end in (cases.filter(still_open), open_duplicates):
            self._fold(
                open_at_end.filter(created_at__lt=end).values(**cell).annotate(backlog=Count("id"), overdue=Count("id", filter=Q(due_at__lt=end))),
                ("backlog", "overdue"),
            )
        returned = _window(cases.filter(rejection_reason=RejectionReason.NOT_COMPETENT), "closed_at", start, end)
        self._fold(returned.values(**cell).annotate(returned=Count("id")), ("returned",))

        # One pass over the month's reopenings and transfers (a partial index holds only those kinds).
        events = _window(CaseEvent.objects.filter(kind__in=[CaseEvent.Kind.REOPENED, CaseEvent.Kind.TRANSFERRED]), "created_at", start, end)
        events = events.exclude(case__rejection_reason=RejectionReason.SPAM)
        rows = events.values("kind", "previous_entity_id", e=F("case__entity_id"), c=F("case__category_id")).annotate(n=Count("id"))
        for row in rows:
            if row["kind"] == CaseEvent.Kind.REOPENED:
                self.cells[(row["e"], row["c"])].counts["reopened"] += row["n"]
            elif row["previous_entity_id"] is not None:
                self.cells[(row["previous_entity_id"], row["c"])].counts["transferred_out"] += row["n"]

        surveys = _window(SurveyResponse.objects.exclude(case__rejection_reason=RejectionReason.SPAM), "created_at", start, end)
        survey_counts: dict[str, Any] = {
            "surveys": Count("id"),
            "satisfaction_sum": Sum("satisfaction"),
            "satisfied": Count("id", filter=Q(satisfaction__gte=4)),
            "solved": Count("id", filter=Q(solved=True)),
        }
        for a in SDG_ATTRIBUTES:
            # DONT_KNOW (0) is recorded but left out of the shares: only 1-4 are answers.
            survey_counts[f"{a}_agree"] = Count("id", filter=Q(**{f"{a}__gte": 3}))
            survey_counts[f"{a}_answered"] = Count("id", filter=Q(**{f"{a}__gte": 1}))
        rows = surveys.values(e=F("case__entity_id"), c=F("case__category_id")).annotate(**survey_counts)
        self._fold(rows, tuple(survey_counts))

    def channels(self) -> list[dict[str, Any]]:
        cases = dict(_window(self.cases, "created_at", self.start, self.end).values_list("channel").annotate(n=Count("id")))
        info = dict(_window(InformationContact.objects.all(), "created_at", self.start, self.end).values_list("channel").annotate(n=Count("id")))
        return [
            {"channel": code, "online": code in ONLINE_CHANNELS, "cases": cases.get(code, 0), "information_contacts": info.get(code, 0)}
            for code in Channel.values
        ]

    def districts(self) -> list[dict[str, Any]]:
        # Sensitive cases are national totals only: not even their district is published.
        rows = (
            _window(self.cases.filter(category__sensitive=False, district__isnull=False), "created_at", self.start, self.end)
            .values(code=F("district__code"), name=F("district__name"))
            .annotate(received=Count("id"))
            .order_by("code")
        )
        return list(rows)


def _entity_info(ids) -> dict[int, dict[str, Any]]:
    return {
        e["id"]: e for e in Entity.objects.filter(id__in=ids).values("id", "code", "name", "acronym", "kind", "is_contact_center")
    }


def rank_entities(rows: list[dict[str, Any]], min_closed: int) -> None:
    """The ranking rule, in place: entities with at least `min_closed` closed cases are ranked by share
    closed within the service level (higher first), then median business days (lower first), then closed
    cases (more first); entities equal on all three share a rank. The others get rank None."""

    def key(row):
        f = row["figures"]
        return (-Fraction(f["closed_within_sla"], f["closed"]), f["median_days"], -f["closed"])

    eligible = sorted((r for r in rows if r["figures"]["closed"] >= min_closed), key=lambda r: (key(r), r["entity_name"]))
    previous, rank = None, 0
    for position, row in enumerate(eligible, start=1):
        if key(row) != previous:
            rank, previous = position, key(row)
        row["rank"] = rank
    for row in rows:
        row.setdefault("rank", None)
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["entity_name"]))


def compute_month(year: int, month: int, *, now: dt.datetime | None = None) -> dict[str, Any]:
    """All the figures of one month, as plain data (what a publication freezes)."""
    now = now or timezone.now()
    # On the primary, in one transaction: the computation writes the calendar it then reads.
    with primary_reads(), transaction.atomic():
        if connection.vendor == "postgresql":
            # These are a handful of one-off aggregations: compiling them (JIT) costs more than it saves.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL jit = off")
                # The default cost of a random read (4) is that of a spinning disk: with it the planner
                # joins the month's surveys to a sequential scan of every case (1.2 s at a million
                # cases) rather than look their cases up by key (0.2 s). 1.1 is the usual value for SSDs.
                cursor.execute("SET LOCAL random_page_cost = 1.1")
        return _compute_month(year, month, now)


def _compute_month(year: int, month: int, now: dt.datetime) -> dict[str, Any]:
    computation = MonthComputation(year, month)
    first = Case.objects.order_by("created_at").values_list("created_at", flat=True).first() or computation.start
    first_day = min(timezone.localtime(first).date(), computation.start.date())
    fill_calendar(first_day, max(computation.end.date(), timezone.localtime(now).date()))
    computation.run()
    categories = {
        c["id"]: c for c in Category.objects.filter(id__in={c for _e, c in computation.cells}).values("id", "code", "name_es", "name_en", "sensitive")
    }
    entities = _entity_info({e for e, _c in computation.cells if e is not None})

    national, per_entity, per_category = Tally(), defaultdict(Tally), defaultdict(Tally)
    entity_categories = []
    for (e, c), tally in sorted(computation.cells.items(), key=lambda item: (item[0][0] or 0, item[0][1])):
        national.add(tally)
        per_category[c].add(tally)
        if e is None or categories[c]["sensitive"]:
            continue  # sensitive categories: national totals only, never per entity
        per_entity[e].add(tally)
        entity_categories.append({**_entity_fields(entities[e]), **_category_fields(categories[c]), "figures": tally.figures()})

    min_closed = settings.TRANSPARENCY_MIN_CLOSED
    rows = [{**_entity_fields(entities[e]), "figures": tally.figures()} for e, tally in per_entity.items()]
    rank_entities(rows, min_closed)
    channels = computation.channels()
    total_cases = sum(ch["cases"] for ch in channels)
    total_info = sum(ch["information_contacts"] for ch in channels)
    online = sum(ch["cases"] + ch["information_contacts"] for ch in channels if ch["online"])
    national_figures = national.figures()
    national_figures.update(
        {
            "channels": channels,
            "information_contacts": total_info,
            "online_share_pct": pct(online, total_cases + total_info),
            "online_cases_pct": pct(sum(ch["cases"] for ch in channels if ch["online"]), total_cases),
            "districts": computation.districts(),
            "categories": sorted(
                ({**_category_fields(categories[c]), "received": t.counts["received"], "closed": t.counts["closed"]} for c, t in per_category.items()),
                key=lambda row: (-row["received"], row["category_code"]),
            ),
        }
    )
    return {
        "year": year,
        "month": month,
        "computed_at": now.isoformat(),
        "min_closed": min_closed,
        "national": national_figures,
        "entities": rows,
        "entity_categories": entity_categories,
    }


def _entity_fields(entity: dict[str, Any]) -> dict[str, Any]:
    return {"entity_id": entity["id"], "entity_code": entity["code"], "entity_name": entity["name"], "entity_kind": entity["kind"]}


def _category_fields(category: dict[str, Any]) -> dict[str, Any]:
    return {
        "category_id": category["id"],
        "category_code": category["code"],
        "category_name_es": category["name_es"],
        "category_name_en": category["name_en"],
        "sensitive": category["sensitive"],
    }
