"""Storing generated cases: one transaction per batch, numbers reserved per year (cases/numbering.py).

PostgreSQL gets the rows through COPY FROM STDIN (text format, built as strings), an order of magnitude
faster than INSERTs; other databases (the embedded SQLite) get bulk_create. Case ids are reserved before
writing, so events, contacts, surveys and duplicates point at their case within the same batch, and no
batch refers to another one.

Generated cases have no django-simple-history rows: nobody ever edited them.
"""

from __future__ import annotations

import base64
import datetime as dt
import gc
import json
import os
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from queue import Queue
from typing import Callable, Iterator

from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, models, transaction
from django.db.models import Max

from entities.models import District, Entity

from .generator import CaseGenerator, Planned, years_for
from cases import numbering
from cases.maintenance import analyze_case_tables
from cases.models import Case, CaseContact, CaseEvent, Category, SurveyResponse

UTC = dt.timezone.utc
NULL = "\\N"
# PostgreSQL spends most of a load maintaining indexes, in one backend per connection: two connections
# writing different batches keep two cores busy.
WRITERS = 2


@dataclass
class GenerationResult:
    cases: int = 0
    events: int = 0
    contacts: int = 0
    surveys: int = 0
    seconds: float = 0.0

    @property
    def cases_per_second(self) -> float:
        return self.cases / self.seconds if self.seconds else 0.0

    @property
    def events_per_second(self) -> float:
        return self.events / self.seconds if self.seconds else 0.0


def generate_cases(
    count: int,
    *,
    seed: int = 2026,
    batch_size: int = 10_000,
    now: dt.datetime | None = None,
    progress: Callable[[GenerationResult], None] | None = None,
    writers: int = WRITERS,
    data: dict | None = None,
    years: int | None = None,
) -> GenerationResult:
    """Generate and store `count` cases over the last `years` (default `years_for(count)`: twelve months up
    to 2.5 million cases, a year more per 2.5 million); returns what was written and how fast.

    Inside a transaction (load_demo, tests) every batch is written on the caller's connection, so the
    caller's uncommitted rows are visible and its rollback undoes the cases too. Each batch reserves its
    numbers (cases/numbering.py): on PostgreSQL a failed batch leaves a gap. On PostgreSQL outside a transaction,
    this thread plans and reserves numbers (briefly, in order) while `writers` threads, each with its own
    connection, copy earlier batches: a run that fails half-way leaves a gap in that year's numbers.
    `data` stands in for the jurisdiction's demo.json.
    """
    progress_report = _Progress(progress)
    with _without_cyclic_gc():
        years = years_for(count) if years is None else years
        batches = CaseGenerator(seed=seed, now=now, data=data, years=years).plan(count, batch_size)
        if connection.vendor == "postgresql" and not connection.in_atomic_block and writers > 0:
            _write_in_parallel(batches, writers, progress_report)
        else:
            writer = CopyWriter() if connection.vendor == "postgresql" else OrmWriter()
            for batch in batches:
                with transaction.atomic():
                    ids = writer.reserve_ids(len(batch))
                    tokens = new_tokens(len(batch))
                    progress_report.add(len(batch), *writer.write(batch, ids, reserve_numbers(batch), tokens))
    analyze_case_tables()
    return progress_report.finish()


@contextmanager
def _without_cyclic_gc() -> Iterator[None]:
    """The cyclic collector would rescan every live batch again and again as millions of tuples come and go
    (a fifth of the Python time). Nothing generated forms a cycle: reference counting frees it all."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Progress:
    """What was written so far, updated by the writer threads."""

    def __init__(self, callback: Callable[[GenerationResult], None] | None) -> None:
        self.callback, self.started = callback, time.perf_counter()
        self.result = GenerationResult()
        self.lock = threading.Lock()

    def add(self, cases: int, events: int, contacts: int, surveys: int) -> None:
        with self.lock:
            result = self.result
            result.cases += cases
            result.events += events
            result.contacts += contacts
            result.surveys += surveys
            result.seconds = time.perf_counter() - self.started
            if self.callback:
                self.callback(result)

    def finish(self) -> GenerationResult:
        self.result.seconds = time.perf_counter() - self.started
        return self.result


def _write_in_parallel(batches: Iterator[list[Planned]], writers: int, progress: _Progress) -> None:
    pending: Queue = Queue(maxsize=writers)
    failures: list[BaseException] = []

    def drain() -> None:
        try:
            writer = CopyWriter()  # in this thread: a connection belongs to the thread that opened it
            while (item := pending.get()) is not None:
                if not failures:
                    with transaction.atomic():
                        progress.add(len(item[0]), *writer.write(*item))
        except BaseException as exc:  # handed to the planning thread, which re-raises it
            failures.append(exc)
            while pending.get() is not None:
                pass
        finally:
            connection.close()

    threads = [threading.Thread(target=drain, name=f"generate-cases-{i}", daemon=True) for i in range(writers)]
    for thread in threads:
        thread.start()
    try:
        reserver = CopyWriter()
        for batch in batches:
            if failures:
                break
            with transaction.atomic():
                ids = reserver.reserve_ids(len(batch))
                numbers = reserve_numbers(batch)
            pending.put((batch, ids, numbers, new_tokens(len(batch))))
    finally:
        for _thread in threads:
            pending.put(None)
        for thread in threads:
            thread.join()
    if failures:
        raise failures[0]


def reserve_numbers(batch: list[Planned]) -> list[tuple[str, int]]:
    """(public number, sequence) in receipt order, from the same per-year sequence the web intake uses."""
    per_year: dict[int, int] = {}
    for case in batch:
        per_year[case.year] = per_year.get(case.year, 0) + 1
    following = {year: iter(numbering.reserve_sequences(year, count)) for year, count in per_year.items()}
    numbers = []
    for case in batch:
        sequence = next(following[case.year])
        numbers.append((numbering.format_number(case.year, sequence), sequence))
    return numbers


def new_tokens(count: int) -> list[str]:
    """Tracking tokens as secrets.token_urlsafe(24) makes them (random, never from the seed: they are the only
    key an anonymous reporter holds). 24 bytes encode to exactly 32 characters, so one encoding of all the
    bytes splits into the individual tokens."""
    encoded = base64.urlsafe_b64encode(os.urandom(24 * count)).decode("ascii")
    return [encoded[i : i + 32] for i in range(0, 32 * count, 32)]


def _extra_fields(model: type[models.Model], written: set[str]) -> list[models.Field]:
    """Columns the writer does not fill itself (added to the model later): they get their defaults."""
    return [f for f in model._meta.concrete_fields if f.attname not in written and not f.primary_key]


class CopyWriter:
    """PostgreSQL: ids from the table's sequence, rows through COPY in text format."""

    CASE_FIELDS = [
        "id", "number", "year", "sequence", "tracking_token", "category_id", "entity_id", "assignee_id", "state", "channel", "description",
        "lat", "lon", "address", "district_id", "attributes", "is_anonymous", "reporter_user_id", "procedure_id",
        "rejection_reason", "duplicate_of_id", "due_at", "created_at", "updated_at", "resolved_at", "closed_at",
    ]
    EVENT_FIELDS = [
        "case_id", "kind", "public", "actor_id", "channel", "from_state", "to_state", "entity_id", "previous_entity_id",
        "reason", "message", "created_at",
    ]
    CONTACT_FIELDS = [
        "case_id", "name", "email", "phone", "phone_normalized", "national_id", "national_id_normalized", "language",
        "created_at",
    ]
    SURVEY_FIELDS = ["case_id", "satisfaction", "solved", "comment", "created_at"]
    MODELS = (Case, CaseEvent, CaseContact, SurveyResponse)

    def __init__(self) -> None:
        self.sql = {
            Case: self._copy_sql(Case, self.CASE_FIELDS),
            CaseEvent: self._copy_sql(CaseEvent, self.EVENT_FIELDS),
            CaseContact: self._copy_sql(CaseContact, self.CONTACT_FIELDS),
            SurveyResponse: self._copy_sql(SurveyResponse, self.SURVEY_FIELDS),
        }
        self.times = _TimestampText()
        self.skip_triggers = self._may_skip_triggers()

    def _copy_sql(self, model, names: list[str]) -> tuple[str, str]:
        """The COPY statement and the constant text that fills the columns added to the model later."""
        qn = connection.ops.quote_name
        columns = [model._meta.get_field(n).column for n in names]
        extras = _extra_fields(model, set(names))
        columns += [f.column for f in extras]
        suffix = "".join("\t" + _copy_literal(f) for f in extras)
        return f"COPY {qn(model._meta.db_table)} ({', '.join(qn(c) for c in columns)}) FROM STDIN", suffix

    def _may_skip_triggers(self) -> bool:
        """Checking every foreign key row by row costs as much as the rest of the load. A superuser may switch
        the checks off for a batch (session_replication_role = replica, as pg_restore --disable-triggers does)
        and check once per batch instead — but only while the tables have no triggers of their own, which
        would be skipped too."""
        with connection.cursor() as cursor:
            cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
            row = cursor.fetchone()
            if not (row and row[0]):
                return False
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE NOT tgisinternal AND tgrelid = ANY(%s::text[]::regclass[])",
                [[m._meta.db_table for m in self.MODELS]],
            )
            return cursor.fetchone()[0] == 0

    def reserve_ids(self, count: int) -> list[int]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [Case._meta.db_table, Case._meta.pk.column, count],
            )
            return [row[0] for row in cursor.fetchall()]

    def write(self, batch, ids, numbers, tokens) -> tuple[int, int, int]:
        # Every time in a batch lies between its first arrival and the latest due date, change or survey.
        self.times.cover(batch[0].created, max(max(c.due, c.updated, c.survey[3] if c.survey else 0) for c in batch))
        days, clock = self.times.days, self.times.clock
        cases, events, contacts, surveys = [], [], [], []
        case_suffix, event_suffix = self.sql[Case][1], self.sql[CaseEvent][1]
        contact_suffix, survey_suffix = self.sql[CaseContact][1], self.sql[SurveyResponse][1]
        users, entities = set(), set()
        first = batch[0].index  # duplicates point at an earlier case of the same batch
        for c, cid, (number, sequence), token in zip(batch, ids, numbers, tokens):
            # Times as text: a day prefix and a time of day, looked up (see _TimestampText).
            created = days[c.created // 86400] + clock[c.created % 86400]
            due = days[c.due // 86400] + clock[c.due % 86400]
            updated = days[c.updated // 86400] + clock[c.updated % 86400]
            resolved = NULL if c.resolved is None else days[c.resolved // 86400] + clock[c.resolved % 86400]
            closed = NULL if c.closed is None else days[c.closed // 86400] + clock[c.closed % 86400]
            located = c.lat is not None
            cases.append(
                f"{cid}\t{number}\t{c.year}\t{sequence}\t{token}\t{c.category_id}\t{NULL if c.entity_id is None else c.entity_id}\t"
                f"{NULL if c.assignee_id is None else c.assignee_id}\t{c.state}\t{c.channel}\t{c.description}\t"
                f"{c.lat if located else NULL}\t{c.lon if located else NULL}\t{c.address}\t"
                f"{NULL if c.district_id is None else c.district_id}\t{c.attributes_json}\t"
                f"{'t' if c.is_anonymous else 'f'}\t{NULL}\t{NULL}\t{c.rejection_reason}\t"
                f"{NULL if c.duplicate_index is None else ids[c.duplicate_index - first]}\t"
                f"{due}\t{created}\t{updated}\t{resolved}\t{closed}{case_suffix}\n"
            )
            entities.add(c.entity_id)
            users.add(c.assignee_id)
            for kind, public, actor, channel, from_state, to_state, entity, reason, message, at in c.events:
                users.add(actor)
                events.append(
                    f"{cid}\t{kind}\t{'t' if public else 'f'}\t{NULL if actor is None else actor}\t{channel}\t"
                    f"{from_state}\t{to_state}\t{NULL if entity is None else entity}\t{NULL}\t{reason}\t{message}\t"
                    f"{days[at // 86400]}{clock[at % 86400]}{event_suffix}\n"
                )
            if c.contact is not None:
                name, email, phone, phone_normalized, national_id, national_id_normalized = c.contact
                contacts.append(
                    f"{cid}\t{name}\t{email}\t{phone}\t{phone_normalized}\t{national_id}\t{national_id_normalized}\tes\t"
                    f"{created}{contact_suffix}\n"
                )
            if c.survey is not None:
                satisfaction, solved, comment, at = c.survey
                answered = days[at // 86400] + clock[at % 86400]
                surveys.append(f"{cid}\t{satisfaction}\t{'t' if solved else 'f'}\t{comment}\t{answered}{survey_suffix}\n")
        with connection.cursor() as cursor:
            if self.skip_triggers:
                self._lock_references(
                    cursor,
                    {
                        Category: {c.category_id for c in batch},
                        District: {c.district_id for c in batch},
                        Entity: entities,
                        get_user_model(): users,
                    },
                )
                cursor.execute("SET LOCAL session_replication_role = replica")
            raw = cursor.cursor
            for model, lines in ((Case, cases), (CaseEvent, events), (CaseContact, contacts), (SurveyResponse, surveys)):
                if lines:
                    with raw.copy(self.sql[model][0]) as copy:
                        copy.write("".join(lines))
            if self.skip_triggers:
                cursor.execute("SET LOCAL session_replication_role = origin")
        return len(events), len(contacts), len(surveys)

    @staticmethod
    def _lock_references(cursor, references: dict) -> None:
        """What the skipped triggers check, once per batch: each referenced row exists, and stays (FOR KEY
        SHARE, the lock the triggers take) until the batch commits."""
        qn = connection.ops.quote_name
        for model, keys in references.items():
            keys.discard(None)
            if not keys:
                continue
            table, pk = qn(model._meta.db_table), qn(model._meta.pk.column)
            cursor.execute(
                # Only quoted identifiers from our own models are formatted in; the keys are parameters.
                f"SELECT count(*) FROM (SELECT 1 FROM {table} WHERE {pk} = ANY(%s) FOR KEY SHARE) AS held",  # noqa: S608
                [list(keys)],
            )
            if cursor.fetchone()[0] != len(keys):
                raise IntegrityError(
                    f"A row the generated cases refer to is gone from {model._meta.db_table}; nothing was written."
                )


def _copy_literal(field: models.Field) -> str:
    value = field.get_default()
    if value is None:
        return NULL
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(field, models.JSONField):
        value = json.dumps(value)
    elif isinstance(value, dt.datetime):
        value = value.astimezone(UTC).isoformat()
    text = str(value)
    return text.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


class _TimestampText:
    """Unix seconds to PostgreSQL's text input ('2026-03-01 14:30:00+00') as a day prefix plus one of the
    86,400 times of day: two look-ups instead of building a datetime per value."""

    def __init__(self) -> None:
        self.days: dict[int, str] = {}
        self.clock = [f"{s // 3600:02d}:{s // 60 % 60:02d}:{s % 60:02d}+00" for s in range(86400)]

    def cover(self, first: int, last: int) -> None:
        """Make sure every day from `first` to `last` (Unix seconds) has its prefix."""
        for day in range(first // 86400, last // 86400 + 1):
            if day not in self.days:
                self.days[day] = dt.datetime.fromtimestamp(day * 86400, UTC).strftime("%Y-%m-%d ")

    def __call__(self, ts: int) -> str:
        return self.days[ts // 86400] + self.clock[ts % 86400]


class OrmWriter:
    """Any other database (the embedded SQLite): ids reserved inside the batch's write transaction, then
    bulk_create. SQLite's IMMEDIATE transactions hold the write lock from the start, so nobody else can
    take the same ids in between."""

    def reserve_ids(self, count: int) -> list[int]:
        last = Case.objects.aggregate(m=Max("pk"))["m"] or 0
        if connection.vendor == "sqlite":
            with connection.cursor() as cursor:
                # AUTOINCREMENT never reuses an id, even of a deleted row: start after the highest ever given.
                cursor.execute("SELECT seq FROM sqlite_sequence WHERE name = %s", [Case._meta.db_table])
                row = cursor.fetchone()
                last = max(last, row[0] if row else 0)
        return list(range(last + 1, last + 1 + count))

    def write(self, batch, ids, numbers, tokens) -> tuple[int, int, int]:
        when = _datetime
        first = batch[0].index  # duplicates point at an earlier case of the same batch
        cases, events, contacts, surveys = [], [], [], []
        for c, cid, (number, sequence), token in zip(batch, ids, numbers, tokens):
            cases.append(
                Case(
                    id=cid, number=number, year=c.year, sequence=sequence, tracking_token=token, category_id=c.category_id, entity_id=c.entity_id,
                    assignee_id=c.assignee_id, state=c.state, channel=c.channel, description=c.description, lat=c.lat,
                    lon=c.lon, address=c.address, district_id=c.district_id, attributes=c.attributes,
                    is_anonymous=c.is_anonymous, rejection_reason=c.rejection_reason,
                    duplicate_of_id=None if c.duplicate_index is None else ids[c.duplicate_index - first],
                    due_at=when(c.due), created_at=when(c.created), updated_at=when(c.updated),
                    resolved_at=when(c.resolved), closed_at=when(c.closed),
                )
            )
            for kind, public, actor, channel, from_state, to_state, entity, reason, message, at in c.events:
                events.append(
                    CaseEvent(
                        case_id=cid, kind=kind, public=public, actor_id=actor, channel=channel, from_state=from_state,
                        to_state=to_state, entity_id=entity, reason=reason, message=message, created_at=when(at),
                    )
                )
            if c.contact is not None:
                name, email, phone, phone_normalized, national_id, national_id_normalized = c.contact
                contacts.append(
                    CaseContact(
                        case_id=cid, name=name, email=email, phone=phone, phone_normalized=phone_normalized,
                        national_id=national_id, national_id_normalized=national_id_normalized, created_at=when(c.created),
                    )
                )
            if c.survey is not None:
                satisfaction, solved, comment, at = c.survey
                surveys.append(
                    SurveyResponse(case_id=cid, satisfaction=satisfaction, solved=solved, comment=comment, created_at=when(at))
                )
        Case.objects.bulk_create(cases)
        CaseEvent.objects.bulk_create(events)
        CaseContact.objects.bulk_create(contacts)
        SurveyResponse.objects.bulk_create(surveys)
        return len(events), len(contacts), len(surveys)


def _datetime(ts: int | None) -> dt.datetime | None:
    return None if ts is None else dt.datetime.fromtimestamp(ts, UTC)
