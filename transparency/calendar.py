"""The working calendar as a table, so that the figures count business days in SQL.

`fill_calendar()` writes one row per local day from `cases.sla.WorkCalendar` (weekdays, official
holidays, declared non-working days). It loops over days, never over cases: a few thousand rows for
years of history. `business_index()` is the SQL expression that turns a timestamp column into the
business-day index of its local day.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import OuterRef, Subquery
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


def business_index(field: str) -> Subquery:
    """The business-day index of the local day of the timestamp `field` (of the outer query's rows)."""
    return Subquery(
        CalendarDay.objects.filter(starts_at__lte=OuterRef(field)).order_by("-starts_at").values("business_index")[:1]
    )
