"""One line of a legacy file into the values of an imported case, or the reason it is refused."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.utils.translation import gettext as _

from cases.models import State

from .mapping import Mapping

CLOSING_STATES = {State.RESOLVED, State.CLOSED, State.REJECTED}


class Rejected(Exception):
    """A row that cannot be imported; its message is the reason written to the rejects file."""


@dataclass(slots=True)
class ImportRow:
    line: int
    source_id: str
    created: dt.datetime
    closed: dt.datetime | None
    category: str  # the category as the file says it (the mapping's key)
    category_code: str
    entity: str
    entity_code: str
    state: str
    channel: str
    description: str
    lat: float | None
    lon: float | None
    address: str


class RowReader:
    """Turns rows (lists of strings under the file's header) into ImportRows, with the mapping's rules."""

    def __init__(self, mapping: Mapping, header: list[str]) -> None:
        mapping.check_header(header)
        self.mapping = mapping
        position = {name: i for i, name in enumerate(header)}
        self.index = {name: [position[c] for c in cols] for name, cols in mapping.columns.items()}
        self.max_description = settings.CASE_DESCRIPTION_MAX_LENGTH
        formats, tz = mapping.datetime_formats, mapping.timezone

        # Exports repeat the same timestamps many times (batch closings, the same second of a storm).
        @lru_cache(maxsize=65536)
        def parse_time(text: str) -> dt.datetime | None:
            for fmt in formats:
                try:
                    moment = dt.datetime.strptime(text, fmt)
                except ValueError:
                    continue
                return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment
            return None

        self.parse_time = parse_time

    def value(self, row: list[str], name: str) -> str:
        cols = self.index.get(name)
        if not cols:
            return ""
        return row[cols[0]].strip() if cols[0] < len(row) else ""

    def read(self, line: int, row: list[str]) -> ImportRow:
        m = self.mapping
        source_id = self.value(row, "source_id")
        if not source_id:
            raise Rejected(_("no id in the source system"))
        if len(source_id) > 64:
            raise Rejected(_("the id is longer than 64 characters"))
        created_text = self.value(row, "created_at")
        created = self.parse_time(created_text)
        if created is None:
            raise Rejected(_("unreadable creation date %(value)r") % {"value": created_text})
        status = self.value(row, "status")
        state = m.state(status)
        if state is None:
            raise Rejected(_("unknown status %(value)r (add it to the mapping's \"states\")") % {"value": status})
        closed = None
        closed_text = self.value(row, "closed_at")
        if state in CLOSING_STATES and closed_text:
            closed = self.parse_time(closed_text)
            if closed is None:
                raise Rejected(_("unreadable closing date %(value)r") % {"value": closed_text})
            if closed < created:
                raise Rejected(_("closed (%(closed)s) before it was created (%(created)s)")
                               % {"closed": closed_text, "created": created_text})
        zip_code = self.value(row, "zip")
        if zip_code and m.zip_pattern is not None and not m.zip_pattern.match(zip_code):
            raise Rejected(_("ZIP code %(value)r is not one of the territory's (a placeholder?)") % {"value": zip_code})
        lat, lon = self._point(row)
        category = self.value(row, "category")
        if not category:
            raise Rejected(_("no category"))
        entity = self.value(row, "entity")
        parts = [row[i].strip() for i in self.index.get("description", []) if i < len(row) and row[i].strip()]
        description = ": ".join(dict.fromkeys(parts)) or category
        return ImportRow(
            line=line, source_id=source_id, created=created, closed=closed, category=category,
            category_code=m.category_code(category), entity=entity, entity_code=m.entity_code(entity) if entity else "",
            state=state, channel=m.channel(self.value(row, "channel")), description=description[: self.max_description],
            lat=lat, lon=lon, address=self.value(row, "address")[:300],
        )

    def _point(self, row: list[str]) -> tuple[float | None, float | None]:
        lat_text, lon_text = self.value(row, "lat"), self.value(row, "lon")
        if not lat_text and not lon_text:
            return None, None
        try:
            lat, lon = float(lat_text), float(lon_text)
        except ValueError:
            raise Rejected(_("unreadable coordinates %(lat)r, %(lon)r") % {"lat": lat_text, "lon": lon_text}) from None
        if not (math.isfinite(lat) and math.isfinite(lon) and -90 <= lat <= 90 and -180 <= lon <= 180):
            raise Rejected(_("coordinates out of range %(lat)r, %(lon)r") % {"lat": lat_text, "lon": lon_text})
        return lat, lon
