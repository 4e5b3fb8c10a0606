"""The working calendar as a table, so that the figures count business days in SQL.

`fill_calendar()` writes one row per local day from `cases.sla.WorkCalendar` (weekdays, official
holidays, declared non-working days). It loops over days, never over cases: a few thousand rows for
years of history. `business_index()` is the SQL expression that turns a timestamp column into the
business-day index of its local day.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, transaction
from django.db.models import F, Func, IntegerField, OuterRef, Subquery
from django.utils import timezone

from cases.sla import WorkCalendar

from .models import CalendarDay


@transaction.atomic
def fill_calendar(first: dt.date, last: dt.date, calendar: WorkCalendar | None = None) -> int:
    """Make the calendar table hold [first - 1 day, last + 1 day]; returns the number of rows written.

    Days already stored with the same values are left alone, so the usual call (a page showing the
    provisional month) reads a few thousand small rows and writes nothing; a non-working day declared
    after the fact rewrites the days that changed. Rows are upserted, so two computations at once
    cannot collide. The index counts from `first`; only differences between indices are ever used.
    """
    calendar = calendar or WorkCalendar()
    tz = timezone.get_default_timezone()
    first, last = first - dt.timedelta(days=1), last + dt.timedelta(days=1)
    stored = {
        row[0]: row[1:]
        for row in CalendarDay.objects.filter(date__gte=first, date__lte=last).values_list("date", "is_business_day", "business_index")
    }
    base = CalendarDay.objects.filter(date=first).values_list("business_index", flat=True).first() or 0
    rows, index, day = [], base, first
    while day <= last:
        business = calendar.is_business_day(day)
        if day != first:
            index += int(business)
        if stored.get(day) != (business, index):
            midnight = timezone.make_aware(dt.datetime.combine(day, dt.time.min), tz)
            rows.append(CalendarDay(date=day, starts_at=midnight, is_business_day=business, business_index=index))
        day += dt.timedelta(days=1)
    if rows:
        CalendarDay.objects.bulk_create(
            rows, batch_size=2000, update_conflicts=True, unique_fields=["date"],
            update_fields=["starts_at", "is_business_day", "business_index"],
        )  # fmt: skip
    return len(rows)


class _IndexFromArray(Func):
    """PostgreSQL: the day's index read from an array literal of the calendar, by the local date's
    offset from its first day. One array subscript per row instead of one index lookup per row: the
    month's closings (some 90,000 rows at a million cases) went from about 1 s to a few ms of it."""

    output_field = IntegerField()

    def __init__(self, expression, *, first: dt.date, indices: list[int | None], tz: str) -> None:
        super().__init__(expression)
        self.first, self.indices, self.tz = first, indices, tz

    def as_sql(self, compiler, connection, **extra):
        sql, params = compiler.compile(self.source_expressions[0])
        # Out of the array's range (a day the calendar does not hold) is NULL, as the subquery gives.
        return f"(%s::int[])[((({sql}) AT TIME ZONE %s)::date - %s::date) + 1]", [self.indices, *params, self.tz, self.first]


def calendar_indices() -> tuple[dt.date, list[int | None]] | None:
    """The stored calendar as (first day, index of each day from it); None when it is empty."""
    rows = list(CalendarDay.objects.order_by("date").values_list("date", "business_index"))
    if not rows:
        return None
    first = rows[0][0]
    indices: list[int | None] = [None] * ((rows[-1][0] - first).days + 1)
    for day, index in rows:
        indices[(day - first).days] = index
    return first, indices


def business_index(field: str, calendar: tuple[dt.date, list[int | None]] | None = None) -> Func | Subquery:
    """The business-day index of the local day of the timestamp `field` (of the outer query's rows).
    `calendar` (from `calendar_indices()`, read once per computation) lets PostgreSQL use an array."""
    if connection.vendor == "postgresql" and calendar is not None:
        first, indices = calendar
        return _IndexFromArray(F(field), first=first, indices=indices, tz=str(timezone.get_default_timezone()))
    return Subquery(
        CalendarDay.objects.filter(starts_at__lte=OuterRef(field)).order_by("-starts_at").values("business_index")[:1]
    )
