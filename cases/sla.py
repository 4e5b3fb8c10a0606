"""Service levels in business days: the jurisdiction's weekdays, minus its public holidays (the
`holidays` package), minus the non-working days an administrator declares (NonWorkingDay)."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays
from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


@lru_cache(maxsize=64)
def _official_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays(country, subdiv=subdivision, years=year).keys())


class WorkCalendar:
    """A snapshot of the working calendar. Build one per request or batch; it reads the database once."""

    def __init__(self, extra_non_working: set[dt.date] | None = None) -> None:
        if extra_non_working is None:
            from .models import NonWorkingDay

            extra_non_working = set(NonWorkingDay.objects.values_list("date", flat=True))
        self.extra_non_working = extra_non_working
        self.country = settings.HOLIDAYS_COUNTRY
        self.subdivision = settings.HOLIDAYS_SUBDIVISION
        self.weekdays = set(settings.WORK_WEEKDAYS)

    def is_business_day(self, day: dt.date) -> bool:
        return (
            day.isoweekday() in self.weekdays
            and day not in _official_holidays(self.country, self.subdivision, day.year)
            and day not in self.extra_non_working
        )

    def add_business_days(self, start: dt.date, days: int) -> dt.date:
        """The `days`-th business day after `start`. The day of receipt never counts, so a case received
        on a holiday or weekend has the same due date as one received on the last working day before."""
        day = start
        remaining = days
        while remaining > 0:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Business days after `start` up to and including `end` (negative if `end` is earlier)."""
        if end < start:
            return -self.business_days_between(end, start)
        count, day = 0, start
        while day < end:
            day += dt.timedelta(days=1)
            if self.is_business_day(day):
                count += 1
        return count

    def due_at(self, received: dt.datetime, days: int) -> dt.datetime:
        """End of the due day in the local timezone: the entity has that whole working day."""
        tz = timezone.get_default_timezone()
        local_day = timezone.localtime(received, tz).date()
        due_day = self.add_business_days(local_day, days)
        end = dt.datetime.combine(due_day, dt.time(23, 59, 59))
        return timezone.make_aware(end, tz)


class ServiceLevel(models.TextChoices):
    """Where an open case stands against its due date. One rule for the back office, the notifications
    and the published figures: `service_level()` and `WorkCalendar.due_soon_until()`."""

    ON_TRACK = "on_track", _("On track")
    DUE_SOON = "due_soon", _("Due soon")
    OVERDUE = "overdue", _("Overdue")


def due_soon_until(calendar: WorkCalendar, now: dt.datetime | None = None) -> dt.datetime:
    """The end of the SLA_DUE_SOON_BUSINESS_DAYS-th business day from today: a case due before then (and
    not yet overdue) is due soon. Querysets filter `due_at__lte` this value; `service_level()` uses it too."""
    now = now or timezone.now()
    return calendar.due_at(now, settings.SLA_DUE_SOON_BUSINESS_DAYS)


def service_level(
    due_at: dt.datetime | None,
    *,
    is_open: bool,
    now: dt.datetime | None = None,
    calendar: WorkCalendar | None = None,
    resolved_at: dt.datetime | None = None,
) -> ServiceLevel | None:
    """The badge of one case. Open cases: overdue past the due date, due soon within the window, else on
    track. A closed case is judged at its resolution: overdue if it was resolved late, else on track.
    None when the case has no due date."""
    if due_at is None:
        return None
    now = now or timezone.now()
    if not is_open:
        if resolved_at is None:
            return None
        return ServiceLevel.OVERDUE if resolved_at > due_at else ServiceLevel.ON_TRACK
    if due_at < now:
        return ServiceLevel.OVERDUE
    if due_at <= due_soon_until(calendar or WorkCalendar(), now):
        return ServiceLevel.DUE_SOON
    return ServiceLevel.ON_TRACK
