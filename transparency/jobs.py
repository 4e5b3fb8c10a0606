"""Publishing a month: compute, freeze, and (when configured) announce it on the CKAN portal.

`publish_month(year, month)` is what the monthly scheduler calls on the 1st working day. It is
idempotent: a month already published is left as it is. `republish_month()` is the administrator's
explicit correction: it keeps the old revision and shows the new one with its note.
"""

from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .figures import compute_month, month_bounds
from .models import EntityFigures, PublishedMonth

logger = logging.getLogger(__name__)


class MonthNotComplete(ValidationError):
    """The month has not ended yet: its figures are provisional and cannot be published."""


def _check_complete(year: int, month: int, now: dt.datetime | None = None) -> None:
    if not 1 <= month <= 12:
        raise ValidationError(_("There is no month %(month)s.") % {"month": month})
    if month_bounds(year, month)[1] > (now or timezone.now()):
        raise MonthNotComplete(_("The month %(key)s has not ended: its figures are provisional.") % {"key": f"{year}-{month:02d}"})


def _freeze(data: dict[str, Any], revision: int, note: str) -> PublishedMonth:
    published = PublishedMonth.objects.create(
        year=data["year"], month=data["month"], revision=revision, revision_note=note,
        min_closed=data["min_closed"], national={**data["national"], "computed_at": data["computed_at"]},
    )  # fmt: skip
    rows = [
        EntityFigures(
            published_month=published, entity_id=row["entity_id"], entity_code=row["entity_code"],
            entity_name=row["entity_name"], entity_kind=row["entity_kind"], rank=row["rank"], figures=row["figures"],
        )  # fmt: skip
        for row in data["entities"]
    ]
    rows += [
        EntityFigures(
            published_month=published, entity_id=row["entity_id"], entity_code=row["entity_code"],
            entity_name=row["entity_name"], entity_kind=row["entity_kind"], category_id=row["category_id"],
            category_code=row["category_code"],
            figures={**row["figures"], "category_name_es": row["category_name_es"], "category_name_en": row["category_name_en"]},
        )  # fmt: skip
        for row in data["entity_categories"]
    ]
    EntityFigures.objects.bulk_create(rows, batch_size=1000)
    return published


def publish_month(year: int, month: int, *, ckan: bool = True) -> PublishedMonth:
    """Compute and freeze a complete month; a month already published is returned unchanged."""
    _check_complete(year, month)
    existing = PublishedMonth.objects.filter(year=year, month=month, is_current=True).first()
    if existing:
        return existing
    try:
        with transaction.atomic():
            published = _freeze(compute_month(year, month), revision=1, note="")
    except IntegrityError:
        # Another worker published it at the same moment: theirs stands.
        return PublishedMonth.objects.get(year=year, month=month, is_current=True)
    logger.info("transparency: published %s", published)
    if ckan:
        from .ckan import publish_to_ckan_if_configured

        publish_to_ckan_if_configured(published)
    return published


@transaction.atomic
def republish_month(year: int, month: int, note: str) -> PublishedMonth:
    """Recompute a published month as a new revision; the old one stays readable, the note says why."""
    if not (note or "").strip():
        raise ValidationError({"note": _("Say why the month is published again.")})
    _check_complete(year, month)
    previous = PublishedMonth.objects.select_for_update().filter(year=year, month=month, is_current=True).first()
    if previous is None:
        raise ValidationError(_("The month %(key)s has not been published yet.") % {"key": f"{year}-{month:02d}"})
    PublishedMonth.objects.filter(pk=previous.pk).update(is_current=False)
    published = _freeze(compute_month(year, month), revision=previous.revision + 1, note=note.strip())
    logger.info("transparency: republished %s", published)
    return published


def complete_months(first: dt.date, now: dt.datetime | None = None) -> list[tuple[int, int]]:
    """Every month from `first`'s month up to the last one that has ended."""
    now = timezone.localtime(now or timezone.now())
    months, year, month = [], first.year, first.month
    while (year, month) < (now.year, now.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def publish_complete_months(first: dt.date | None = None) -> list[PublishedMonth]:
    """Publish every complete month since the first case (the demo's "figures at once")."""
    from cases.models import Case

    if first is None:
        oldest = Case.objects.order_by("created_at").values_list("created_at", flat=True).first()
        if oldest is None:
            return []
        first = timezone.localtime(oldest).date()
    return [publish_month(year, month, ckan=False) for year, month in complete_months(first)]
