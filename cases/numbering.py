"""Public case numbers: `YYYY-NNNNNN`, a per-year sequence in the jurisdiction's local year.

PostgreSQL hands the sequence out from a database SEQUENCE per year (`cases_number_2026`), created on
demand: `nextval` never waits for another transaction, so intake scales with the hardware. A rolled-back
intake leaves a gap (docs/decisions/scale.md). SQLite, the embedded single-writer set-up, keeps the
`CaseSequence` counter row: its write lock serialises writers anyway, and it stays gap-free there.

Numbers keep growing past six digits after 999,999 (`2026-1000000`); the `year` and `sequence` integer
columns on Case order them, never the text.
"""

from __future__ import annotations

from django.db import DatabaseError, IntegrityError, ProgrammingError, connection, transaction

SEQUENCE_PREFIX = "cases_number_"
# Concurrent first intakes of a new year race to create its sequence; the losers retry once it exists.
CREATE_ATTEMPTS = 5
DUPLICATE_TABLE, UNIQUE_VIOLATION = "42P07", "23505"


def _sqlstate(exc: BaseException) -> str:
    return getattr(exc.__cause__, "sqlstate", "") or ""


def format_number(year: int, sequence: int) -> str:
    return f"{year}-{sequence:06d}"


def parse_number(number: str) -> tuple[int, int] | None:
    """(year, sequence) of a well-formed number, else None."""
    year, sep, sequence = (number or "").partition("-")
    if not sep or len(year) != 4 or not year.isdigit() or not sequence.isdigit() or len(sequence) > 12:
        return None
    return int(year), int(sequence)


def _uses_sequences() -> bool:
    return connection.vendor == "postgresql"


def _sequence_name(year: int) -> str:
    return f"{SEQUENCE_PREFIX}{int(year):04d}"


def next_sequence(year: int) -> int:
    """The next number of `year`. On PostgreSQL nothing is held until commit."""
    return reserve_sequences(year, 1)[0]


def reserve_sequences(year: int, count: int) -> list[int]:
    """`count` numbers of `year`, increasing (consecutive on SQLite; on PostgreSQL concurrent intake may
    take numbers in between). Bulk writers (the demo generator, the importer) reserve their batch at once."""
    if count <= 0:
        return []
    if not _uses_sequences():
        from .models import CaseSequence

        with transaction.atomic():
            if not CaseSequence.objects.filter(year=year).exists():
                CaseSequence.objects.get_or_create(year=year, defaults={"last": _highest_used(year)})
            first = CaseSequence.reserve(year, count)
        return list(range(first, first + count))
    name = _sequence_name(year)
    for _attempt in range(CREATE_ATTEMPTS):
        # to_regclass() is NULL for a sequence that does not exist (yet), and nextval(NULL) is NULL: the
        # statement cannot fail on a new year, so intake needs no savepoint around it (two round trips
        # fewer per case inside the caller's transaction).
        with connection.cursor() as cursor:
            cursor.execute("SELECT nextval(to_regclass(%s)) FROM generate_series(1, %s)", [name, count])
            numbers = [row[0] for row in cursor.fetchall()]
        if numbers[0] is not None:
            return numbers
        _create_sequence(year)
    raise DatabaseError(f"Could not create the case number sequence {name}.")


def _create_sequence(year: int) -> None:
    """Create the year's sequence, starting after every number already used that year (cases generated or
    imported earlier, or the SQLite-era counter). Another transaction creating it at the same moment makes
    this one fail; the caller then simply uses the other's."""
    from .models import CaseSequence

    name = _sequence_name(year)
    try:
        with transaction.atomic(), connection.cursor() as cursor:
            counted = CaseSequence.objects.filter(year=year).values_list("last", flat=True).first() or 0
            start = max(_highest_used(year), counted) + 1
            cursor.execute(f"CREATE SEQUENCE IF NOT EXISTS {name} AS bigint START WITH {start}")
    except (IntegrityError, ProgrammingError) as exc:
        if _sqlstate(exc) not in (UNIQUE_VIOLATION, DUPLICATE_TABLE):
            raise


def _highest_used(year: int) -> int:
    from .models import Case

    return Case.objects.filter(year=year).order_by("-sequence").values_list("sequence", flat=True).first() or 0


def set_last_number(year: int, last: int) -> None:
    """Make `year` continue after `last` (e.g. after numbers a legacy system handed out on paper)."""
    from .models import CaseSequence

    if _uses_sequences():
        reserve_sequences(year, 1)  # makes sure the sequence exists
        with connection.cursor() as cursor:
            # is_called=true: the next nextval returns last + 1; setval(…, 0, true) is not allowed, so a
            # year restarted from nothing uses is_called=false at 1.
            if last >= 1:
                cursor.execute("SELECT setval(%s, %s, true)", [_sequence_name(year), last])
            else:
                cursor.execute("SELECT setval(%s, 1, false)", [_sequence_name(year)])
    else:
        CaseSequence.objects.update_or_create(year=year, defaults={"last": last})


def forget_numbering() -> None:
    """Drop every year's counter, so that numbering starts again at 1. Only for an empty case table (test
    set-ups, a demo database emptied by hand): numbers of existing cases would be handed out again."""
    from .models import CaseSequence

    CaseSequence.objects.all().delete()
    if not _uses_sequences():
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
            "WHERE c.relkind = 'S' AND n.nspname = current_schema() AND c.relname LIKE %s",
            [SEQUENCE_PREFIX + "%"],
        )
        for (name,) in cursor.fetchall():
            cursor.execute(f"DROP SEQUENCE IF EXISTS {connection.ops.quote_name(name)}")
