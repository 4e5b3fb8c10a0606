"""Case numbers (YYYY-NNNNNN, sequential per local year, never repeated) and tracking tokens."""

from __future__ import annotations

import base64
import datetime as dt
import re
import threading
import zoneinfo

import pytest
from django.db import IntegrityError, connection, transaction

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


def test_concurrent_intake_hands_out_distinct_gap_free_numbers(transactional_world):
    """Eight intake workers filing at once (web, Open311, agents) never share or skip a number.

    On PostgreSQL this proves the row lock on the yearly sequence; on SQLite, the immediate write lock.
    """
    barrier = threading.Barrier(THREADS)
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def intake() -> None:
        try:
            barrier.wait(timeout=30)
            for _ in range(CASES_PER_THREAD):
                case = create_case(water_report(), received_at=received(2026, 5, 4, 10, 0))
                with lock:
                    numbers.append(case.number)
        except BaseException as exc:  # collected so the main thread can fail with the real cause
            errors.append(exc)
        finally:
            connection.close()

    workers = [threading.Thread(target=intake) for _ in range(THREADS)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    assert not errors, errors
    total = THREADS * CASES_PER_THREAD
    assert len(numbers) == total
    assert sorted(numbers) == [f"2026-{n:06d}" for n in range(1, total + 1)]
    assert Case.objects.filter(number__startswith="2026-").count() == total
