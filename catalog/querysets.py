"""What the public may see of the catalog. Pages, search and the API all go through these methods."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils import timezone


def review_cutoff() -> dt.date:
    """Procedures last reviewed before this day are overdue for review (PROCEDURE_REVIEW_MONTHS)."""
    return timezone.localdate() - dt.timedelta(days=round(settings.PROCEDURE_REVIEW_MONTHS * 30.44))


class ProcedureQuerySet(models.QuerySet):
    def published(self) -> "ProcedureQuerySet":
        """Procedures shown to the public: published, from an active entity."""
        return self.filter(active=True, entity__active=True)

    def review_overdue(self) -> "ProcedureQuerySet":
        """Not reviewed within the configured period (the same rule as `Procedure.review_overdue`)."""
        return self.filter(last_reviewed__lt=review_cutoff())


class ThemeQuerySet(models.QuerySet):
    def with_published_counts(self) -> "ThemeQuerySet":
        """Themes that hold at least one published procedure, each with `procedure_count`."""
        published = Q(procedures__active=True, procedures__entity__active=True)
        return self.annotate(procedure_count=Count("procedures", filter=published, distinct=True)).filter(
            procedure_count__gt=0
        )


def entities_with_published_procedures():
    """Entities that publish at least one procedure, each with `procedure_count`, for browsing."""
    from entities.models import Entity

    published = Q(procedures__active=True)
    return (
        Entity.objects.filter(active=True)
        .annotate(procedure_count=Count("procedures", filter=published, distinct=True))
        .filter(procedure_count__gt=0)
    )
