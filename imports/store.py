"""Writing a batch of imported cases with their reconstructed timeline (created, then closed).

PostgreSQL: the batch is COPYed into a temporary staging table shaped like cases_case, then one
set-based statement inserts the new cases (ON CONFLICT on source + source id: a re-run or a concurrent
import changes nothing) and their events. Other databases (the embedded SQLite): bulk_create.
Events are written directly, never through `record_event`: imported history sends no notifications.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection, models

from cases.models import Case, CaseEvent, State
from demodata.store import _copy_literal, _extra_fields, new_tokens

NULL = "\\N"
STAGING = "import_case_staging"
CLOSING_KIND = {State.CLOSED: CaseEvent.Kind.CLOSED, State.RESOLVED: CaseEvent.Kind.RESOLVED,
                State.REJECTED: CaseEvent.Kind.REJECTED}


def _text(value: str) -> str:
    """A value for COPY's text format."""
    return value.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")


def _ts(moment: dt.datetime | None) -> str:
    return NULL if moment is None else moment.isoformat()


class Planned:
    """A case ready to store: the row plus what the importer decided (ids, number, district)."""

    __slots__ = ("row", "category_id", "entity_id", "district_id", "year", "sequence", "token")

    def __init__(self, row, category_id, entity_id, district_id, year, sequence, token) -> None:
        self.row, self.category_id, self.entity_id, self.district_id = row, category_id, entity_id, district_id
        self.year, self.sequence, self.token = year, sequence, token


def existing_source_ids(source: str, source_ids: list[str]) -> set[str]:
    """The ids of this batch already imported (the partial unique index on source + source id answers)."""
    found: set[str] = set()
    for start in range(0, len(source_ids), 900):
        chunk = source_ids[start : start + 900]
        found.update(Case.objects.filter(source=source, source_id__in=chunk).values_list("source_id", flat=True))
    return found


class CopyWriter:
    CASE_FIELDS = [
        "number", "year", "sequence", "tracking_token", "category_id", "entity_id", "state", "channel", "description",
        "lat", "lon", "address", "district_id", "attributes", "created_at", "updated_at", "resolved_at", "closed_at",
        "source", "source_id",
    ]
    EVENT_FIELDS = ["case_id", "kind", "public", "channel", "from_state", "to_state", "entity_id", "created_at"]

    def __init__(self) -> None:
        qn = connection.ops.quote_name
        columns = [Case._meta.get_field(n).column for n in self.CASE_FIELDS]
        extras = [f for f in _extra_fields(Case, set(self.CASE_FIELDS)) if not f.primary_key]
        self.case_columns = columns + [f.column for f in extras]
        self.case_suffix = "".join("\t" + _copy_literal(f) for f in extras)
        event_extras = _extra_fields(CaseEvent, set(self.EVENT_FIELDS))
        self.event_columns = [CaseEvent._meta.get_field(n).column for n in self.EVENT_FIELDS] + [
            f.column for f in event_extras
        ]
        self.event_defaults = [_db_default(f) for f in event_extras]
        # Typed placeholders: in a UNION an untyped parameter would be text.
        self.event_placeholders = "".join(f", CAST(%s AS {f.db_type(connection)})" for f in event_extras)
        self.case_table, self.event_table = qn(Case._meta.db_table), qn(CaseEvent._meta.db_table)
        self.quoted_case_columns = ", ".join(qn(c) for c in self.case_columns)
        with connection.cursor() as cursor:
            # Shaped like cases_case (types, no indexes or constraints); rows live until the batch commits.
            cursor.execute(
                f"CREATE TEMPORARY TABLE IF NOT EXISTS {STAGING} (LIKE {self.case_table} INCLUDING DEFAULTS) "
                "ON COMMIT DELETE ROWS"
            )
            # Ids come from cases_case's own sequence at the insert.
            cursor.execute(f"ALTER TABLE {STAGING} ALTER COLUMN {qn(Case._meta.pk.column)} DROP NOT NULL")

    def write(self, source: str, batch: list[Planned]) -> tuple[int, int]:
        lines = []
        for p in batch:
            r = p.row
            number = f"{p.year}-{p.sequence:06d}"
            closing = r.closed if r.state in CLOSING_KIND else None
            lines.append(
                f"{number}\t{p.year}\t{p.sequence}\t{p.token}\t{p.category_id}\t"
                f"{NULL if p.entity_id is None else p.entity_id}\t{r.state}\t{r.channel}\t{_text(r.description)}\t"
                f"{NULL if r.lat is None else r.lat}\t{NULL if r.lon is None else r.lon}\t{_text(r.address)}\t"
                f"{NULL if p.district_id is None else p.district_id}\t{{}}\t{_ts(r.created)}\t"
                f"{_ts(closing or r.created)}\t{_ts(closing)}\t{_ts(closing if r.state == State.CLOSED else None)}\t"
                f"{_text(source)}\t{_text(r.source_id)}{self.case_suffix}\n"
            )
        kinds = " ".join(f"WHEN '{state}' THEN '{kind}'" for state, kind in CLOSING_KIND.items())
        event_cols = ", ".join(connection.ops.quote_name(c) for c in self.event_columns)
        defaults = self.event_placeholders
        with connection.cursor() as cursor:
            with cursor.cursor.copy(f"COPY {STAGING} ({self.quoted_case_columns}) FROM STDIN") as copy:
                copy.write("".join(lines))
            cursor.execute(
                f"""
                WITH inserted AS (
                    INSERT INTO {self.case_table} ({self.quoted_case_columns})
                    SELECT {self.quoted_case_columns} FROM {STAGING}
                    ON CONFLICT (source, source_id) WHERE source <> '' DO NOTHING
                    RETURNING id, state, channel, entity_id, created_at, resolved_at
                ), events AS (
                    INSERT INTO {self.event_table} ({event_cols})
                    SELECT id, 'created', true, channel, '', 'received', entity_id, created_at{defaults} FROM inserted
                    UNION ALL
                    SELECT id, CASE state {kinds} END, true, '', 'received', state, entity_id, resolved_at{defaults}
                      FROM inserted WHERE resolved_at IS NOT NULL
                    RETURNING 1
                )
                SELECT (SELECT count(*) FROM inserted), (SELECT count(*) FROM events)
                """,
                self.event_defaults * 2,
            )
            cases, events = cursor.fetchone()
            cursor.execute(f"TRUNCATE {STAGING}")
        return cases, events


def _db_default(field: models.Field):
    value = field.get_default()
    return field.get_db_prep_save(value, connection)


class OrmWriter:
    def write(self, source: str, batch: list[Planned]) -> tuple[int, int]:
        cases = []
        for p in batch:
            r = p.row
            closing = r.closed if r.state in CLOSING_KIND else None
            cases.append(
                Case(
                    number=f"{p.year}-{p.sequence:06d}", year=p.year, sequence=p.sequence, tracking_token=p.token,
                    category_id=p.category_id, entity_id=p.entity_id, state=r.state, channel=r.channel,
                    description=r.description, lat=r.lat, lon=r.lon, address=r.address, district_id=p.district_id,
                    created_at=r.created, updated_at=closing or r.created, resolved_at=closing,
                    closed_at=closing if r.state == State.CLOSED else None, source=source, source_id=r.source_id,
                )
            )
        Case.objects.bulk_create(cases)
        events = []
        for case in cases:
            events.append(CaseEvent(case_id=case.pk, kind=CaseEvent.Kind.CREATED, public=True, channel=case.channel,
                                    to_state=State.RECEIVED, entity_id=case.entity_id, created_at=case.created_at))
            if case.resolved_at is not None:
                events.append(CaseEvent(case_id=case.pk, kind=CLOSING_KIND[case.state], public=True,
                                        from_state=State.RECEIVED, to_state=case.state, entity_id=case.entity_id,
                                        created_at=case.resolved_at))
        CaseEvent.objects.bulk_create(events)
        return len(cases), len(events)


def tokens(count: int) -> list[str]:
    return new_tokens(count)
