"""The calendar table counts business days in SQL exactly as cases.sla.WorkCalendar does."""

from __future__ import annotations

import datetime as dt

from cases.models import Case, NonWorkingDay
from cases.sla import WorkCalendar
from transparency.calendar import business_index, fill_calendar
from transparency.models import CalendarDay
from transparency.tests.dataset import at
from ventanilla.testing import new_case


def test_business_days_in_sql_match_the_work_calendar_across_holidays(world):
    NonWorkingDay.objects.create(date=dt.date(2026, 3, 10), name_es="Día decretado")
    case = new_case(world)
    calendar = WorkCalendar()
    fill_calendar(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    # Carnival (16-17 Feb), the declared day, Holy Week (3 Apr), and a weekend, late at night.
    for start, end in [((2, 13), (2, 19)), ((3, 9), (3, 11)), ((4, 1), (4, 6)), ((3, 6), (3, 9)), ((1, 2), (12, 31))]:
        created, resolved = at(*start, hour=23), at(*end, hour=0)
        Case.objects.filter(pk=case.pk).update(created_at=created, resolved_at=resolved)
        sql = Case.objects.filter(pk=case.pk).annotate(days=business_index("resolved_at") - business_index("created_at"))
        expected = calendar.business_days_between(created.date(), resolved.date())
        assert sql.values_list("days", flat=True).get() == expected, (start, end)


def test_filling_again_writes_only_what_changed(world):
    assert fill_calendar(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == 33
    assert fill_calendar(dt.date(2026, 3, 1), dt.date(2026, 3, 31)) == 0
    NonWorkingDay.objects.create(date=dt.date(2026, 3, 30), name_es="Día decretado")

    written = fill_calendar(dt.date(2026, 3, 1), dt.date(2026, 3, 31))

    assert written == 3  # the 30th, and the index of the 31st and 1 April
    day = CalendarDay.objects.get(date=dt.date(2026, 3, 30))
    assert day.is_business_day is False
    index = dict(CalendarDay.objects.values_list("date", "business_index"))
    assert index[dt.date(2026, 3, 31)] - index[dt.date(2026, 3, 27)] == 1  # only Tuesday the 31st counts
