"""Importing legacy 311 history: `import_file()` streams a CSV file into cases, batch by batch.

Memory stays flat however large the file: rows are read, checked and written a batch at a time, and
only the batch is held. Each batch is one transaction: a bad row never stops the import nor half-imports
itself, it goes to the rejects file with its line number and reason. Re-running a file changes nothing
(cases are keyed by source + source id, and ids already there take no number).
"""

from __future__ import annotations

import csv

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np
import shapely
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from shapely.geometry import shape

from cases import numbering
from cases.maintenance import analyze_case_tables
from cases.models import Category
from entities.models import District, Entity

from .mapping import Mapping, MappingError
from .rows import ImportRow, Rejected, RowReader
from .store import CopyWriter, OrmWriter, Planned, existing_source_ids, tokens

BATCH_SIZE = 5000
# Legacy exports may hold very long free-text cells (resolution notes); csv's default limit is 128 kB.
csv.field_size_limit(16 * 1024 * 1024)


@dataclass
class ImportResult:
    rows: int = 0
    imported: int = 0
    already_there: int = 0
    rejected: int = 0
    events: int = 0
    created_categories: list[str] = field(default_factory=list)
    created_entities: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def rows_per_second(self) -> float:
        return self.rows / self.seconds if self.seconds else 0.0


class Territory:
    """Which loaded district a point falls in (exactly: history is not pulled into today's borders), for a
    whole batch at once with a spatial index."""

    def __init__(self) -> None:
        districts = list(District.objects.only("pk", "geometry"))
        self.ids = np.array([d.pk for d in districts], dtype=np.int64)
        self.tree = shapely.STRtree([shape(d.geometry) for d in districts]) if districts else None

    def districts(self, rows: list[ImportRow]) -> list[int | None]:
        found: list[int | None] = [None] * len(rows)
        located = [i for i, r in enumerate(rows) if r.lat is not None]
        if self.tree is None or not located:
            return found
        points = shapely.points([rows[i].lon for i in located], [rows[i].lat for i in located])
        point_index, district_index = self.tree.query(points, predicate="within")
        for p, d in zip(point_index.tolist(), district_index.tolist()):
            found[located[p]] = int(self.ids[d])
        return found


class Catalog:
    """The jurisdiction's categories and entities by code, creating the ones a mapping names when asked."""

    def __init__(self, mapping: Mapping, create_missing: bool, result: ImportResult) -> None:
        self.mapping, self.create_missing, self.result = mapping, create_missing, result
        self.categories = dict(Category.objects.values_list("code", "pk"))
        self.entities = dict(Entity.objects.values_list("code", "pk"))

    def entity_id(self, row: ImportRow) -> int | None:
        if not row.entity_code:
            return None
        # An agency written exactly as an entity's code ("IDAAN") is that entity.
        pk = self.entities.get(row.entity_code) or self.entities.get(row.entity)
        if pk is None:
            if not self.create_missing:
                raise Rejected(_("unknown entity %(code)r (map it or use --create-missing)") % {"code": row.entity_code})
            pk = self._create_entity(row.entity_code, row.entity)
        return pk

    def category_id(self, row: ImportRow, entity_id: int | None) -> int:
        pk = self.categories.get(row.category_code) or self.categories.get(row.category)
        if pk is None:
            if not self.create_missing:
                raise Rejected(
                    _("unknown category %(code)r (map it or use --create-missing)") % {"code": row.category_code}
                )
            pk = self._create_category(row.category_code, row.category, entity_id)
        return pk

    def _create_entity(self, code: str, raw: str) -> int:
        spec = (self.mapping.create.get("entities") or {}).get(code) or {}
        kind = spec.get("kind") or Entity.Kind.OTHER
        if kind not in Entity.Kind.values:
            raise MappingError(_("Unknown entity kind %(kind)s for %(code)s.") % {"kind": kind, "code": code})
        entity = Entity.objects.create(code=code, name=(spec.get("name") or raw or code)[:200], kind=kind)
        self.entities[code] = entity.pk
        self.result.created_entities.append(code)
        return entity.pk

    def _create_category(self, code: str, raw: str, entity_id: int | None) -> int:
        spec = (self.mapping.create.get("categories") or {}).get(code) or {}
        owner = spec.get("owner")
        owner_id = self.entities.get(owner) if owner else entity_id
        if owner and owner_id is None:
            owner_id = self._create_entity(owner, owner)
        name = (spec.get("name") or raw or code)[:150]
        group = (spec.get("group") or _("Imported history"))[:100]
        # Categories made for history take no new reports: not listed, not active.
        category = Category.objects.create(
            code=code, name_es=name, name_en=spec.get("name_en") or name, group_es=group, group_en=group,
            owner_id=owner_id, public=False, active=False,
        )
        self.categories[code] = category.pk
        self.result.created_categories.append(code)
        return category.pk


def import_file(
    path: Path,
    mapping: Mapping,
    *,
    create_missing: bool = False,
    rejects_path: Path,
    batch_size: int = BATCH_SIZE,
    progress: Callable[[ImportResult, int], None] | None = None,
    open_file: Callable | None = None,
) -> ImportResult:
    """Import every good row of the CSV file at `path`; write the others to `rejects_path` (CSV: line, id,
    reason). `progress(result, bytes_read)` is called after each batch; `open_file` may wrap the file (the
    command's progress bar)."""
    result = ImportResult()
    began = time.perf_counter()
    opener = open_file or (lambda p: open(p, "rb"))
    with opener(path) as raw, open(rejects_path, "w", newline="", encoding="utf-8") as rejects_file:
        import io

        text = io.TextIOWrapper(raw, encoding="utf-8-sig", errors="replace", newline="")
        reader = csv.reader(text)
        rejects = csv.writer(rejects_file)
        rejects.writerow(["line", "source_id", "reason"])
        try:
            header = next(reader)
        except StopIteration:
            raise MappingError(_("The file is empty.")) from None
        rows = RowReader(mapping, [h.strip() for h in header])
        catalog = Catalog(mapping, create_missing, result)
        territory = Territory()
        writer = CopyWriter() if connection.vendor == "postgresql" else OrmWriter()
        batch: list[ImportRow] = []
        line = reader.line_num
        for record in reader:
            first_line, line = line + 1, reader.line_num
            result.rows += 1
            try:
                batch.append(rows.read(first_line, record))
            except Rejected as reason:
                _reject(rejects, result, first_line, record, rows, str(reason))
            if len(batch) >= batch_size:
                _store(batch, mapping, catalog, territory, writer, rejects, result)
                batch = []
                result.seconds = time.perf_counter() - began
                if progress:
                    progress(result, raw.tell() if hasattr(raw, "tell") else 0)
        if batch:
            _store(batch, mapping, catalog, territory, writer, rejects, result)
    if result.imported:
        analyze_case_tables()
    result.seconds = time.perf_counter() - began
    if progress:
        progress(result, -1)
    return result


def _reject(rejects, result: ImportResult, line: int, record: list[str], rows: RowReader, reason: str) -> None:
    result.rejected += 1
    rejects.writerow([line, rows.value(record, "source_id"), reason])


def _store(batch, mapping, catalog, territory, writer, rejects, result: ImportResult) -> None:
    tz = timezone.get_default_timezone()
    with transaction.atomic():
        there = existing_source_ids(mapping.source, [r.source_id for r in batch])
        seen: set[str] = set()
        fresh: list[tuple[ImportRow, int | None, int]] = []
        for row in batch:
            if row.source_id in there:
                result.already_there += 1
                continue
            if row.source_id in seen:
                _reject_row(rejects, result, row, _("the same id appears earlier in the file"))
                continue
            try:
                entity_id = catalog.entity_id(row)
                fresh.append((row, entity_id, catalog.category_id(row, entity_id)))
            except Rejected as reason:
                _reject_row(rejects, result, row, str(reason))
                continue
            seen.add(row.source_id)
        if not fresh:
            return
        districts = territory.districts([row for row, _e, _c in fresh])
        years = [timezone.localtime(row.created, tz).year for row, _e, _c in fresh]
        numbers = {}
        for year in sorted(set(years)):
            numbers[year] = iter(numbering.reserve_sequences(year, years.count(year)))
        planned = [
            Planned(row, category_id, entity_id, district, year, next(numbers[year]), token)
            for (row, entity_id, category_id), district, year, token in zip(fresh, districts, years, tokens(len(fresh)))
        ]
        cases, events = writer.write(mapping.source, planned)
        result.imported += cases
        result.already_there += len(planned) - cases
        result.events += events


def _reject_row(rejects, result: ImportResult, row: ImportRow, reason: str) -> None:
    result.rejected += 1
    rejects.writerow([row.line, row.source_id, reason])


def default_rejects_path(path: Path) -> Path:
    return Path.cwd() / f"{Path(path).stem}.rejects.csv"


