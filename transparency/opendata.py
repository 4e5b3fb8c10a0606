"""The anonymised open-data files: every published case as CSV, JSON or GeoJSON, streamed.

The columns are chosen, never "all fields minus some": public number, category, entity, district,
channel, state, times, service level met, satisfaction and the point as Open311 publishes it. No
description, no address, no contact, no attachment, no sensitive case, no spam (`Case.objects.public()`).
Rows come from the database in chunks (`.iterator(chunk_size=...)`), so memory stays flat at any size.
"""

from __future__ import annotations

import csv
import datetime as dt
import json
from typing import Any, Iterable, Iterator

from django.conf import settings
from django.db import connections, transaction
from django.db.models import F, QuerySet
from django.http import StreamingHttpResponse
from django.utils import timezone

from cases.models import OPEN_STATES, Case

from ventanilla.dbrouter import reading_database

from .figures import month_bounds
from .labels import CASE_COLUMNS

CHUNK_SIZE = 5000
COLUMNS = [name for name, _meaning in CASE_COLUMNS]
SOURCE = [
    "number", "category__code", "category__name_es", "entity__code", "entity__name", "district__code",
    "district__name", "channel", "state", "rejection_reason", "created_at", "resolved_at", "closed_at", "due_at",
    "survey__satisfaction", "source", "lat", "lon",
]  # fmt: skip
OPEN = frozenset(OPEN_STATES)


def published_cases(year: int | None = None, month: int | None = None) -> QuerySet:
    cases = Case.objects.public().filter(category__sensitive=False)
    if year and month:
        start, end = month_bounds(year, month)
        cases = cases.filter(created_at__gte=start, created_at__lt=end)
    return cases.order_by("pk").values_list(*SOURCE)


def rows(cases: QuerySet, now: dt.datetime | None = None) -> Iterator[list[Any]]:
    """One list of values per case, in COLUMNS order (times in the jurisdiction's offset, ISO 8601)."""
    tz = timezone.get_default_timezone()
    now = now or timezone.now()

    def iso(value: dt.datetime | None) -> str:
        return value.astimezone(tz).isoformat(timespec="seconds") if value else ""

    for (number, category, category_name, entity, entity_name, district, district_name, channel, state, reason,
         created, resolved, closed, due, satisfaction, source, lat, lon) in cases.iterator(chunk_size=CHUNK_SIZE):  # fmt: skip
        if resolved is not None and due is not None and state not in OPEN:
            sla_met = "true" if resolved <= due else "false"
        elif due is not None and state in OPEN and due < now:
            sla_met = "false"
        else:
            sla_met = ""
        yield [
            number, category, category_name, entity or "", entity_name or "", district or "", district_name or "",
            channel, state, reason, iso(created), iso(resolved), iso(closed), iso(due), sla_met,
            satisfaction if satisfaction is not None else "", "true" if source else "false",
            lat if lat is not None else "", lon if lon is not None else "",
        ]  # fmt: skip


class _Line:
    """A file-like object whose write() hands the line back (csv.writer into a generator)."""

    def write(self, value: str) -> str:
        return value


def csv_lines(values: Iterable[list[Any]]) -> Iterator[str]:
    writer = csv.writer(_Line(), lineterminator="\r\n")  # RFC 4180
    yield writer.writerow(COLUMNS)
    for row in values:
        yield writer.writerow(row)


def _typed(row: list[Any]) -> dict[str, Any]:
    record = dict(zip(COLUMNS, row))
    for key in ("sla_met", "imported"):
        record[key] = {"true": True, "false": False}.get(record[key])
    for key in ("entity_code", "entity_name", "district_code", "district_name", "rejection_reason", "resolved_at",
                "closed_at", "due_at", "satisfaction", "lat", "lon"):  # fmt: skip
        if record[key] == "":
            record[key] = None
    return record


def json_chunks(values: Iterable[list[Any]]) -> Iterator[str]:
    yield "["
    first = True
    for row in values:
        yield ("" if first else ",") + json.dumps(_typed(row), ensure_ascii=False)
        first = False
    yield "]"


def geojson_chunks(values: Iterable[list[Any]]) -> Iterator[str]:
    yield '{"type":"FeatureCollection","features":['
    first = True
    for row in values:
        record = _typed(row)
        lat, lon = record.pop("lat"), record.pop("lon")
        geometry = {"type": "Point", "coordinates": [lon, lat]} if lat is not None and lon is not None else None
        feature = {"type": "Feature", "id": record["number"], "geometry": geometry, "properties": record}
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"


FORMATS = {
    "csv": ("text/csv; charset=utf-8", csv_lines),
    "json": ("application/json", json_chunks),
    "geojson": ("application/geo+json", geojson_chunks),
}


# On PostgreSQL the CSV is written by the database itself (COPY ... TO STDOUT): the same columns and
# formats as `rows()` (tests compare both), at several times the rate of building Python rows.
COPY_COLUMNS = dict(
    number_=F("number"), category_code=F("category__code"), category_name=F("category__name_es"),
    entity_code=F("entity__code"), entity_name=F("entity__name"), district_code=F("district__code"),
    district_name=F("district__name"), channel_=F("channel"), state_=F("state"), reason=F("rejection_reason"),
    created=F("created_at"), resolved=F("resolved_at"), closed=F("closed_at"), due=F("due_at"),
    satisfaction=F("survey__satisfaction"), source_=F("source"), lat_=F("lat"), lon_=F("lon"),
)  # fmt: skip
ISO = "'YYYY-MM-DD\"T\"HH24:MI:SSTZH:TZM'"
COPY_SELECT = f"""SELECT number_, category_code, category_name, entity_code, entity_name, district_code, district_name,
 channel_, state_, NULLIF(reason, ''), to_char(created, {ISO}), to_char(resolved, {ISO}), to_char(closed, {ISO}),
 to_char(due, {ISO}),
 CASE WHEN resolved IS NOT NULL AND due IS NOT NULL AND NOT state_ = ANY(%s) THEN CASE WHEN resolved <= due THEN 'true' ELSE 'false' END
      WHEN due IS NOT NULL AND state_ = ANY(%s) AND due < %s THEN 'false' END,
 satisfaction, CASE WHEN source_ <> '' THEN 'true' ELSE 'false' END, lat_, lon_ FROM ({{query}}) AS published"""


def postgres_csv(year: int | None = None, month: int | None = None, using: str = "default") -> Iterator[bytes]:
    cases = Case.objects.using(using).public().filter(category__sensitive=False)
    if year and month:
        start, end = month_bounds(year, month)
        cases = cases.filter(created_at__gte=start, created_at__lt=end)
    query, params = cases.order_by("pk").values(**COPY_COLUMNS).query.sql_with_params()
    open_states = [str(state) for state in OPEN_STATES]
    statement = "COPY (" + COPY_SELECT.format(query=query) + ") TO STDOUT WITH (FORMAT csv)"
    yield (",".join(COLUMNS) + "\r\n").encode()
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        # Times in the jurisdiction's offset, as `rows()` writes them; the connection's own time zone (the
        # one Django reads timestamps in) is put back even when an outer transaction goes on.
        cursor.execute("SELECT current_setting('TimeZone')")
        (previous,) = cursor.fetchone()
        cursor.execute("SELECT set_config('TimeZone', %s, true)", [settings.TIME_ZONE])
        try:
            with cursor.cursor.copy(statement, [open_states, open_states, timezone.now(), *params]) as copy:
                for data in copy:
                    # RFC 4180 lines end in CRLF; no published column can hold a line break.
                    yield bytes(data).replace(b"\n", b"\r\n")
        finally:
            cursor.execute("SELECT set_config('TimeZone', %s, true)", [previous])


def streamed(fmt: str, filename: str, year: int | None = None, month: int | None = None) -> StreamingHttpResponse:
    content_type, render = FORMATS[fmt]
    # The file is written after the view has returned, outside its `replica_reads` block: the database
    # is chosen now, while the view still asks for the replica (ventanilla/dbrouter.py).
    using = reading_database()
    if fmt == "csv" and connections[using].vendor == "postgresql":
        content = postgres_csv(year, month, using=using)
    else:
        content = render(rows(published_cases(year, month).using(using)))
    response = StreamingHttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
