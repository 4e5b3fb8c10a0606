"""Case numbers (YYYY-NNNNNN, sequential per local year, never repeated, growing past six digits) and
tracking tokens."""

from __future__ import annotations

import base64
import datetime as dt
import re
import threading
import zoneinfo

import pytest
from django.db import IntegrityError, connection, transaction

from cases import numbering
from cases.models import Case
from cases.services import create_case
from cases.validation import NewCase
from ventanilla.testing import SAN_MIGUELITO, new_case

PANAMA = zoneinfo.ZoneInfo("America/Panama")


def water_report() -> NewCase:
    return NewCase(
        category_code="FALTA-AGUA", description="Sin agua desde ayer.", lat=SAN_MIGUELITO[0], lon=SAN_MIGUELITO[1]
    )


def received(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=PANAMA)


def test_numbers_are_the_year_and_a_six_digit_sequence(world):
    numbers = [create_case(water_report(), received_at=received(2026, 3, 2, 9, 0)).number for _ in range(3)]
    assert numbers == ["2026-000001", "2026-000002", "2026-000003"]
    assert all(re.fullmatch(r"\d{4}-\d{6}", n) for n in numbers)


def test_the_sequence_restarts_each_local_year(world):
    # 23:30 on 31 December in Panama is already 1 January in UTC; the number follows the local year.
    late_2026 = create_case(water_report(), received_at=received(2026, 12, 31, 23, 30))
    early_2027 = create_case(water_report(), received_at=received(2027, 1, 1, 0, 10))
    second_2027 = create_case(water_report(), received_at=received(2027, 1, 1, 0, 11))
    assert late_2026.number == "2026-000001"
    assert early_2027.number == "2027-000001"
    assert second_2027.number == "2027-000002"


def test_each_year_keeps_its_own_count(world):
    for _ in range(2):
        create_case(water_report(), received_at=received(2026, 6, 1, 8, 0))
    create_case(water_report(), received_at=received(2027, 1, 4, 8, 0))
    # A case dated in 2026 but entered late (a paper form typed in January) continues 2026's sequence.
    late_entry = create_case(water_report(), received_at=received(2026, 12, 30, 16, 0))
    assert late_entry.number == "2026-000003"


def test_numbers_cannot_repeat_even_if_written_by_hand(world):
    case = new_case(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(number=case.number, category=world.water, description="Copia")


def test_the_tracking_token_carries_at_least_128_random_bits(world):
    case = new_case(world)
    token = Case.objects.get(pk=case.pk).tracking_token
    raw = base64.urlsafe_b64decode(token + "=" * (-len(token) % 4))
    assert len(raw) * 8 >= 128
    assert case.number not in token


def test_tracking_tokens_are_unique(world):
    tokens = {new_case(world).tracking_token for _ in range(40)}
    assert len(tokens) == 40
    case = Case.objects.first()
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.filter(pk=Case.objects.last().pk).update(tracking_token=case.tracking_token)


THREADS = 8
CASES_PER_THREAD = 10


def concurrently(job, threads: int = THREADS) -> list[BaseException]:
    """Run job() in `threads` threads released together; the errors they raised."""
    barrier = threading.Barrier(threads)
    errors: list[BaseException] = []

    def run() -> None:
        try:
            barrier.wait(timeout=30)
            job()
        except BaseException as exc:  # collected so the main thread can fail with the real cause
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return errors


def file_cases(numbers: list[str], lock: threading.Lock, count: int, when: dt.datetime):
    def job() -> None:
        for _ in range(count):
            case = create_case(water_report(), received_at=when)
            with lock:
                numbers.append(case.number)

    return job


def test_concurrent_intake_hands_out_distinct_numbers(transactional_world):
    """Eight intake workers filing at once (web, Open311, agents) never share a number, including the race
    to create a new year's sequence on PostgreSQL (the first intakes of the year all find it missing)."""
    numbers: list[str] = []
    errors = concurrently(file_cases(numbers, threading.Lock(), CASES_PER_THREAD, received(2026, 5, 4, 10, 0)))
    assert not errors, errors
    total = THREADS * CASES_PER_THREAD
    assert len(numbers) == total
    # Nothing rolled back, so nothing is missing either.
    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, total + 1)]
    assert Case.objects.filter(year=2026).count() == total


def test_concurrent_intake_past_999999_grows_the_number_and_keeps_the_order(transactional_world):
    """A New York-sized year: the number grows a digit, and cases sort by year and sequence, not text."""
    numbering.set_last_number(2026, 999_990)
    numbers: list[str] = []
    errors = concurrently(file_cases(numbers, threading.Lock(), 5, received(2026, 11, 2, 9, 0)))
    assert not errors, errors
    expected = [f"2026-{n}" for n in range(999_991, 999_991 + THREADS * 5)]
    assert sorted(numbers, key=numbering.parse_number) == expected
    assert "2026-999999" in numbers and "2026-1000000" in numbers
    in_order = list(Case.objects.by_number().values_list("number", flat=True))
    assert in_order == expected
    assert [numbering.parse_number(n) for n in in_order] == list(
        Case.objects.by_number().values_list("year", "sequence")
    )


def test_a_long_intake_does_not_hold_up_the_others(transactional_world):
    """On PostgreSQL no intake waits for another's commit (a sequence, not a locked row): a transaction kept
    open after taking a number does not stop a second intake. SQLite has one writer at a time by design:
    the second intake goes through once the first ends."""
    # The year's first intake creates its sequence (once a year), which the others do wait for.
    create_case(water_report(), received_at=received(2026, 5, 4, 9, 0))
    holding, release = threading.Event(), threading.Event()
    second: list[str] = []

    def slow_intake() -> None:
        try:
            with transaction.atomic():
                create_case(water_report(), received_at=received(2026, 5, 4, 10, 0))
                holding.set()
                release.wait(timeout=60)
        finally:
            connection.close()

    def quick_intake() -> None:
        try:
            second.append(create_case(water_report(), received_at=received(2026, 5, 4, 10, 1)).number)
        finally:
            connection.close()

    slow = threading.Thread(target=slow_intake)
    slow.start()
    assert holding.wait(timeout=60)
    quick = threading.Thread(target=quick_intake)
    quick.start()
    if connection.vendor == "postgresql":
        quick.join(timeout=60)
        done_while_held = not quick.is_alive()
        release.set()
        slow.join(timeout=60)
        assert done_while_held
    else:
        release.set()
        slow.join(timeout=60)
        quick.join(timeout=60)
    assert second == ["2026-000003"]
    assert Case.objects.count() == 3


def test_a_rolled_back_intake_leaves_a_gap_on_postgresql_only(world):
    first = create_case(water_report(), received_at=received(2026, 5, 4, 10, 0))
    with pytest.raises(RuntimeError), transaction.atomic():
        create_case(water_report(), received_at=received(2026, 5, 4, 10, 1))
        raise RuntimeError("the intake failed after taking its number")
    third = create_case(water_report(), received_at=received(2026, 5, 4, 10, 2))
    assert first.number == "2026-000001"
    # PostgreSQL's sequence never gives a number back (docs/decisions/scale.md); SQLite's counter row is
    # rolled back with the intake.
    assert third.number == ("2026-000003" if connection.vendor == "postgresql" else "2026-000002")


def test_a_year_can_continue_after_a_legacy_system_numbers(world):
    numbering.set_last_number(2027, 41_200)
    case = create_case(water_report(), received_at=received(2027, 2, 1, 8, 0))
    assert (case.number, case.year, case.sequence) == ("2027-041201", 2027, 41_201)


def test_a_new_years_sequence_starts_after_the_cases_already_there(world):
    # Cases written in bulk (the generator, an import) before the year's first intake.
    Case.objects.bulk_create(
        [Case(number=f"2028-{n:06d}", year=2028, sequence=n, category=world.water, description="Histórico")
         for n in range(1, 6)]
    )
    case = create_case(water_report(), received_at=received(2028, 1, 3, 8, 0))
    assert case.number == "2028-000006"


@pytest.mark.parametrize(
    "text, parts",
    [("2026-000123", (2026, 123)), ("2026-1000000", (2026, 1_000_000)), ("26-1", None), ("2026-", None),
     ("2026-12a", None), ("abcd-0001", None), ("", None)],
)
def test_numbers_are_parsed_into_year_and_sequence(text, parts):
    assert numbering.parse_number(text) == parts
