"""How a legacy file's columns and values become case fields: the built-in formats and mapping files.

A mapping is JSON (docs/imports.md):

    {"source": "city-x", "timezone": "America/New_York", "datetime_formats": ["%m/%d/%Y %I:%M:%S %p"],
     "columns": {"source_id": "Unique Key", "created_at": "Created Date", "closed_at": "Closed Date",
                 "category": "Complaint Type", "entity": "Agency", "status": "Status",
                 "description": ["Complaint Type", "Descriptor"], "lat": "Latitude", "lon": "Longitude",
                 "address": "Incident Address", "zip": "Incident Zip", "channel": "Open Data Channel Type"},
     "categories": {"Illegal Parking": "ESTACIONAMIENTO-INDEBIDO", "*": "OTROS"},
     "entities": {"NYPD": "policia"}, "states": {"Closed": "closed", "Open": "received"},
     "channels": {"PHONE": "phone", "*": "phone"}, "zip_pattern": "^1[01][0-9]{3}$",
     "create": {"entities": {"policia": {"name": "Policía", "kind": "authority"}},
                "categories": {"ESTACIONAMIENTO-INDEBIDO": {"name": "Estacionamiento indebido", "owner": "policia"}}}}

A value the mapping does not name is looked up under "*"; without "*", a category becomes the complaint
type's slug (upper case) and an entity the agency's slug (lower case). Built-in formats (`nyc311`,
`la311`) are mappings too; a mapping file given with them overrides their keys.
"""

from __future__ import annotations

import json
import re
import zoneinfo
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.text import slugify
from django.utils.translation import gettext as _

from cases.models import Channel, State

FIELDS = ("source_id", "created_at", "closed_at", "category", "entity", "status", "description", "lat", "lon",
          "address", "zip", "channel")
REQUIRED_COLUMNS = ("source_id", "created_at", "category", "status")
KEYS = {"source", "timezone", "datetime_formats", "columns", "categories", "entities", "states", "channels",
        "zip_pattern", "create", "about"}
# The states an imported case may end in. Work in between (assignments, comments) is not in the files.
FINAL_STATES = {State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS, State.WAITING_CITIZEN, State.RESOLVED,
                State.CLOSED, State.REJECTED}

NYC311 = {
    "source": "nyc311",
    "timezone": "America/New_York",
    "datetime_formats": ["%m/%d/%Y %I:%M:%S %p"],
    "columns": {
        "source_id": "Unique Key", "created_at": "Created Date", "closed_at": "Closed Date",
        "category": "Complaint Type", "entity": "Agency", "status": "Status",
        "description": ["Complaint Type", "Descriptor"], "lat": "Latitude", "lon": "Longitude",
        "address": "Incident Address", "zip": "Incident Zip", "channel": "Open Data Channel Type",
    },
    "states": {"Closed": "closed", "Open": "received", "Assigned": "assigned", "In Progress": "in_progress",
               "Started": "in_progress", "Pending": "in_progress"},
    "channels": {"PHONE": "phone", "ONLINE": "web", "MOBILE": "mobile", "*": "phone"},
    # New York City's ZIP codes are 100xx to 119xx; the export's placeholders (66666, 88888, 99999) are not.
    "zip_pattern": r"^1[01][0-9]{3}$",
}
LA311 = {
    "source": "la311",
    "timezone": "America/Los_Angeles",
    "datetime_formats": ["%m/%d/%Y %I:%M:%S %p"],
    "columns": {
        "source_id": "SRNumber", "created_at": "CreatedDate", "closed_at": "ClosedDate", "category": "RequestType",
        "entity": "Owner", "status": "Status", "description": ["RequestType", "ActionTaken"], "lat": "Latitude",
        "lon": "Longitude", "address": "Address", "zip": "ZipCode", "channel": "RequestSource",
    },
    "states": {"Closed": "closed", "Open": "received", "Pending": "in_progress", "Referred Out": "closed",
               "Forwarded": "closed", "Cancelled": "closed"},
    "channels": {"Call": "phone", "Voicemail": "phone", "Mobile App": "mobile", "Self Service": "web",
                 "Email": "email", "Walk-in": "in_person", "*": "phone"},
    "zip_pattern": r"^9[0-9]{4}$",
}
FORMATS = {"nyc311": NYC311, "la311": LA311, "csv": {}}


class MappingError(Exception):
    """The mapping cannot be used (bad JSON, unknown key or value, a column the file lacks): nothing imported."""


@dataclass
class Mapping:
    source: str
    timezone: zoneinfo.ZoneInfo
    datetime_formats: list[str]
    columns: dict[str, list[str]]
    categories: dict[str, str] = field(default_factory=dict)
    entities: dict[str, str] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=dict)
    zip_pattern: re.Pattern | None = None
    create: dict = field(default_factory=dict)

    def category_code(self, value: str) -> str:
        code = self.categories.get(value) or self.categories.get("*")
        return code if code is not None else slugify(value).upper()[:64]

    def entity_code(self, value: str) -> str:
        code = self.entities.get(value) or self.entities.get("*")
        return code if code is not None else slugify(value)[:32]

    def state(self, value: str) -> str | None:
        return self.states.get(value) or self.states.get("*")

    def channel(self, value: str) -> str:
        return self.channels.get(value) or self.channels.get("*") or Channel.PHONE

    def check_header(self, header: list[str]) -> None:
        missing = sorted({c for cols in self.columns.values() for c in cols} - set(header))
        if missing:
            raise MappingError(_("The file has no column %(columns)s.") % {"columns": ", ".join(missing)})


def load_mapping(fmt: str, mapping_file: Path | None) -> Mapping:
    if fmt not in FORMATS:
        raise MappingError(_("Unknown format %(format)s.") % {"format": fmt})
    raw = json.loads(json.dumps(FORMATS[fmt]))
    if mapping_file is not None:
        try:
            extra = json.loads(Path(mapping_file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise MappingError(_("The mapping file cannot be read: %(error)s") % {"error": exc}) from exc
        if not isinstance(extra, dict):
            raise MappingError(_("The mapping file must hold a JSON object."))
        unknown = sorted(set(extra) - KEYS)
        if unknown:
            raise MappingError(_("Unknown key in the mapping file: %(keys)s.") % {"keys": ", ".join(unknown)})
        for key, value in extra.items():
            if isinstance(value, dict) and isinstance(raw.get(key), dict):
                raw[key] = {**raw[key], **value}
            else:
                raw[key] = value
    elif fmt == "csv":
        raise MappingError(_("The csv format needs a mapping file (--mapping)."))
    return _build(raw)


def _build(raw: dict) -> Mapping:
    source = str(raw.get("source") or "").strip()
    if not source or len(source) > 32:
        raise MappingError(_("The mapping must name its source system (\"source\", at most 32 characters)."))
    try:
        tz = zoneinfo.ZoneInfo(str(raw.get("timezone") or "UTC"))
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as exc:
        raise MappingError(_("Unknown time zone %(tz)s.") % {"tz": raw.get("timezone")}) from exc
    columns: dict[str, list[str]] = {}
    for name, cols in (raw.get("columns") or {}).items():
        if name not in FIELDS:
            raise MappingError(_("Unknown field %(field)s in \"columns\".") % {"field": name})
        columns[name] = [cols] if isinstance(cols, str) else list(cols)
    missing = [name for name in REQUIRED_COLUMNS if not columns.get(name)]
    if missing:
        raise MappingError(_("The mapping names no column for %(fields)s.") % {"fields": ", ".join(missing)})
    states = {str(k): str(v) for k, v in (raw.get("states") or {}).items()}
    bad = sorted(v for v in states.values() if v not in FINAL_STATES)
    if bad:
        raise MappingError(_("Unknown case state %(states)s in \"states\".") % {"states": ", ".join(bad)})
    channels = {str(k): str(v) for k, v in (raw.get("channels") or {}).items()}
    bad = sorted(v for v in channels.values() if v not in Channel.values)
    if bad:
        raise MappingError(_("Unknown channel %(channels)s in \"channels\".") % {"channels": ", ".join(bad)})
    try:
        zip_pattern = re.compile(raw["zip_pattern"]) if raw.get("zip_pattern") else None
    except re.error as exc:
        raise MappingError(_("\"zip_pattern\" is not a regular expression: %(error)s") % {"error": exc}) from exc
    return Mapping(
        source=source, timezone=tz, datetime_formats=list(raw.get("datetime_formats") or ["%Y-%m-%dT%H:%M:%S"]),
        columns=columns, categories={str(k): str(v) for k, v in (raw.get("categories") or {}).items()},
        entities={str(k): str(v) for k, v in (raw.get("entities") or {}).items()}, states=states, channels=channels,
        zip_pattern=zip_pattern, create=raw.get("create") or {},
    )
