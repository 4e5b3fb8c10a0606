"""Service levels in business days on Panama's real 2026 calendar: weekends, official holidays (the
`holidays` package), decreed non-working days (NonWorkingDay rows) and the WORK_WEEKDAYS setting.

The due date is the end of the local day: the entity has that whole working day. The day of receipt
never counts."""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo

import pytest

from cases.loaders import load_non_working_days
from cases.models import Case, NonWorkingDay
from cases.services import create_case, recompute_due_dates
from cases.sla import WorkCalendar
from cases.validation import NewCase
from ventanilla.testing import SAN_MIGUELITO, make_category

PANAMA = zoneinfo.ZoneInfo("America/Panama")
D = dt.date


def end_of(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(23, 59, 59), tzinfo=PANAMA)


def file_case(category, received_at: dt.datetime) -> Case:
    data = NewCase(category_code=category.code, description="Prueba de plazos.", lat=SAN_MIGUELITO[0], lon=SAN_MIGUELITO[1])
    return create_case(data, received_at=received_at)


@pytest.fixture
def five_days(world):
    return make_category("PLAZO-5", world.idaan, sla_business_days=5)


@pytest.fixture
def demo_calendar(db, settings):
    """The non-working days the Panama data set declares (Carnival Monday among them)."""
    jurisdiction = json.loads((settings.JURISDICTION_DATA_DIR / "jurisdiction.json").read_text(encoding="utf-8"))
    load_non_working_days(jurisdiction["non_working_days"])
    assert NonWorkingDay.objects.filter(date=D(2026, 2, 16)).exists()


def test_november_holidays_push_a_five_day_case_to_wednesday_the_11th(five_days):
    # Received Friday 30 October: Mon 2 Nov (1), Tue 3 Separation Day, Wed 4 (2), Thu 5 Colón Day,
    # Fri 6 (3), weekend, Mon 9 (4), Tue 10 Los Santos Uprising, Wed 11 (5).
    case = file_case(five_days, dt.datetime(2026, 10, 30, 10, 0, tzinfo=PANAMA))
    assert Case.objects.get(pk=case.pk).due_at == end_of(D(2026, 11, 11))


def test_the_day_of_receipt_is_the_local_day_not_the_utc_day(five_days):
    # 23:30 on Thursday 29 October in Panama is already Friday in UTC. From Thursday: Fri 30 (1),
    # Mon 2 (2), Wed 4 (3), Fri 6 (4), Mon 9 (5). Counting from the UTC Friday would give Wed 11.
    case = file_case(five_days, dt.datetime(2026, 10, 29, 23, 30, tzinfo=PANAMA))
    assert case.due_at == end_of(D(2026, 11, 9))
    assert case.due_at.astimezone(dt.timezone.utc) == dt.datetime(2026, 11, 10, 4, 59, 59, tzinfo=dt.timezone.utc)


def test_carnival_tuesday_is_an_official_holiday_without_any_configuration(db):
    # No NonWorkingDay rows: Monday 16 February is a working day, Tuesday 17 is not.
    # From Friday 13 February: Mon 16 (1), Tue 17 Carnival, Wed 18 (2).
    calendar = WorkCalendar()
    assert calendar.is_business_day(D(2026, 2, 16))
    assert not calendar.is_business_day(D(2026, 2, 17))
    assert calendar.add_business_days(D(2026, 2, 13), 2) == D(2026, 2, 18)


def test_carnival_monday_from_the_demo_data_is_not_a_working_day(demo_calendar):
    # From Friday 13 February: Mon 16 decreed, Tue 17 Carnival, Wed 18 (1), Thu 19 (2).
    calendar = WorkCalendar()
    assert not calendar.is_business_day(D(2026, 2, 16))
    assert calendar.add_business_days(D(2026, 2, 13), 2) == D(2026, 2, 19)


def test_a_ten_day_case_over_carnival_with_and_without_the_demo_monday(world, settings):
    ten_days = make_category("PLAZO-10", world.idaan, sla_business_days=10)
    received = dt.datetime(2026, 2, 13, 9, 0, tzinfo=PANAMA)
    # Without the decreed Monday: 16, 18, 19, 20, 23, 24, 25, 26, 27 Feb, 2 March.
    assert file_case(ten_days, received).due_at == end_of(D(2026, 3, 2))
    NonWorkingDay.objects.create(date=D(2026, 2, 16), name_es="Lunes de Carnaval")
    # With it: 18, 19, 20, 23, 24, 25, 26, 27 Feb, 2, 3 March.
    assert file_case(ten_days, received).due_at == end_of(D(2026, 3, 3))


def test_good_friday_is_skipped(db):
    # Received Thursday 2 April; Friday 3 is Good Friday; the next working day is Monday 6.
    assert WorkCalendar().add_business_days(D(2026, 4, 2), 1) == D(2026, 4, 6)


@pytest.mark.parametrize(
    "received, days, due",
    [
        (D(2026, 11, 2), 1, D(2026, 11, 4)),  # Tue 3 November, Separation Day
        (D(2026, 11, 4), 1, D(2026, 11, 6)),  # Thu 5 November, Colón Day
        (D(2026, 11, 9), 1, D(2026, 11, 11)),  # Tue 10 November, Los Santos Uprising
        (D(2026, 12, 7), 1, D(2026, 12, 9)),  # Tue 8 December, Mothers' Day
        (D(2026, 12, 24), 1, D(2026, 12, 28)),  # Fri 25 December, then the weekend
        (D(2026, 12, 18), 2, D(2026, 12, 23)),  # Mon 21 December, National Mourning (20th is a Sunday)
        (D(2026, 12, 30), 2, D(2027, 1, 4)),  # Thu 31 (1), Fri 1 January 2027, weekend, Mon 4 (2)
    ],
)
def test_end_of_year_holidays_are_skipped(db, received, days, due):
    assert WorkCalendar().add_business_days(received, days) == due


def test_a_case_received_on_a_holiday_counts_from_the_next_working_day(five_days):
    # Received on Good Friday itself: Mon 6 (1) ... Fri 10 April (5).
    case = file_case(five_days, dt.datetime(2026, 4, 3, 11, 0, tzinfo=PANAMA))
    assert case.due_at == end_of(D(2026, 4, 10))


def test_independence_day_on_a_saturday_is_not_worked_even_when_saturdays_are(db, settings):
    settings.WORK_WEEKDAYS = [1, 2, 3, 4, 5, 6]
    calendar = WorkCalendar()
    # An ordinary Saturday now counts: from Friday 20 November the next working day is Saturday 21.
    assert calendar.add_business_days(D(2026, 11, 20), 1) == D(2026, 11, 21)
    # Saturday 28 November is Independence Day: from Friday 27 the next working day is Monday 30.
    assert calendar.add_business_days(D(2026, 11, 27), 1) == D(2026, 11, 30)


def test_the_work_week_setting_changes_due_dates(five_days, settings):
    received = dt.datetime(2026, 11, 20, 15, 0, tzinfo=PANAMA)
    # Monday to Friday: Mon 23, Tue 24, Wed 25, Thu 26, Fri 27.
    assert file_case(five_days, received).due_at == end_of(D(2026, 11, 27))
    settings.WORK_WEEKDAYS = [1, 2, 3, 4, 5, 6]
    # With Saturdays: Sat 21, Mon 23, Tue 24, Wed 25, Thu 26.
    assert file_case(five_days, received).due_at == end_of(D(2026, 11, 26))


def test_a_decreed_non_working_day_moves_due_dates(five_days):
    received = dt.datetime(2026, 10, 30, 10, 0, tzinfo=PANAMA)
    NonWorkingDay.objects.create(date=D(2026, 11, 4), name_es="Día de la Bandera (decretado)")
    # Mon 2 (1), Fri 6 (2), Mon 9 (3), Wed 11 (4), Thu 12 (5).
    assert file_case(five_days, received).due_at == end_of(D(2026, 11, 12))


def test_open_cases_move_when_a_non_working_day_is_declared_later(five_days):
    case = file_case(five_days, dt.datetime(2026, 10, 30, 10, 0, tzinfo=PANAMA))
    NonWorkingDay.objects.create(date=D(2026, 11, 6), name_es="Puente decretado")
    assert recompute_due_dates(Case.objects.filter(pk=case.pk)) == 1
    assert Case.objects.get(pk=case.pk).due_at == end_of(D(2026, 11, 12))
    assert recompute_due_dates(Case.objects.filter(pk=case.pk)) == 0


def test_business_days_between_counts_working_days_after_the_start(db):
    calendar = WorkCalendar()
    # 30 Oct -> 11 Nov: 2, 4, 6, 9, 11 November.
    assert calendar.business_days_between(D(2026, 10, 30), D(2026, 11, 11)) == 5
    assert calendar.business_days_between(D(2026, 11, 11), D(2026, 10, 30)) == -5
    assert calendar.business_days_between(D(2026, 11, 3), D(2026, 11, 3)) == 0


def test_the_holiday_country_is_a_setting(db, settings):
    # Another jurisdiction: 3 November is no holiday in Costa Rica.
    settings.HOLIDAYS_COUNTRY = "CR"
    assert WorkCalendar().is_business_day(D(2026, 11, 3))
