"""Reading the figures the pages show: a published (frozen) month, or the provisional one computed live.

Pages never compute a published month again: they read its snapshot rows (one indexed query).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import F
from django.utils import timezone

from .figures import compute_month, month_bounds
from .models import EntityFigures, PublishedMonth


@dataclass
class MonthFigures:
    year: int
    month: int
    national: dict[str, Any]
    entities: list[dict[str, Any]]
    provisional: bool
    published: PublishedMonth | None = None
    revisions: list[PublishedMonth] = field(default_factory=list)
    computed_at: dt.datetime | None = None  # provisional figures: when they were computed

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


ROW_FIELDS = ("entity_code", "entity_name", "entity_kind", "rank", "figures")


def current_revision(year: int, month: int) -> PublishedMonth | None:
    return PublishedMonth.objects.filter(year=year, month=month, is_current=True).first()


def published_figures(published: PublishedMonth, revisions: bool = True) -> MonthFigures:
    rows = list(EntityFigures.objects.filter(published_month=published, category_code="").values(*ROW_FIELDS))
    rows.sort(key=lambda r: (r["rank"] is None, r["rank"] or 0, r["entity_name"]))
    return MonthFigures(
        year=published.year,
        month=published.month,
        national=published.national,
        entities=rows,
        provisional=False,
        published=published,
        revisions=list(PublishedMonth.objects.filter(year=published.year, month=published.month).order_by("revision"))
        if revisions
        else [],
    )


def month_figures(year: int, month: int, now: dt.datetime | None = None) -> MonthFigures | None:
    """The published month, or provisional figures for a month that has started but is not published.
    None for a month that has not started."""
    published = current_revision(year, month)
    if published:
        return published_figures(published)
    now = now or timezone.now()
    start, _end = month_bounds(year, month)
    if start > now:
        return None
    data = provisional_month(year, month, now)
    return MonthFigures(
        year=year, month=month, national=data["national"], entities=data["entities"], provisional=True,
        computed_at=dt.datetime.fromisoformat(data["computed_at"]),
    )


def provisional_month(year: int, month: int, now: dt.datetime) -> dict[str, Any]:
    """The month in progress, computed at most every TRANSPARENCY_PROVISIONAL_SECONDS and kept in the
    shared cache meanwhile: at a million cases one computation takes seconds of database time, and a
    public page that did it on every view would be slow for readers and an easy way to load the server.
    The page says when the figures were computed."""
    seconds = settings.TRANSPARENCY_PROVISIONAL_SECONDS
    key = f"transparency:provisional:{year:04d}-{month:02d}"
    data = cache.get(key) if seconds else None
    if data is None:
        data = compute_month(year, month, now=now)
        if seconds:
            cache.set(key, {k: data[k] for k in ("national", "entities", "computed_at")}, timeout=seconds)
    return data


def latest_figures() -> MonthFigures:
    """The latest published month; before anything is published, the month in progress (provisional)."""
    published = PublishedMonth.objects.filter(is_current=True).order_by("-year", "-month").first()
    if published:
        return published_figures(published)
    now = timezone.localtime()
    figures = month_figures(now.year, now.month, now)
    assert figures is not None  # the current month has always started  # noqa: S101 - an invariant, not input validation
    return figures


def published_months(limit: int | None = None) -> list[PublishedMonth]:
    qs = PublishedMonth.objects.filter(is_current=True).order_by("-year", "-month")
    return list(qs[:limit] if limit else qs)


def entity_trend(entity_code: str, months: int = 12) -> list[dict[str, Any]]:
    """The entity's totals in the last `months` published months, oldest first."""
    rows = (
        EntityFigures.objects.filter(entity_code=entity_code, category_code="", published_month__is_current=True)
        .order_by("-published_month__year", "-published_month__month")
        .values("rank", "figures", "entity_name", "entity_kind", year=F("published_month__year"), month=F("published_month__month"))[:months]
    )
    return list(reversed(list(rows)))


def entity_categories(published: PublishedMonth, entity_code: str) -> list[dict[str, Any]]:
    rows = EntityFigures.objects.filter(published_month=published, entity_code=entity_code).exclude(category_code="")
    return list(rows.order_by("category_code").values("category_code", "figures"))


