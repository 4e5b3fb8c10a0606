"""Published figures: the working calendar as a table (business days counted in SQL) and the frozen
monthly snapshots (one row per month and revision, one row per entity and per entity × category)."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CalendarDay(models.Model):
    """One local day of the working calendar, filled from `cases.sla.WorkCalendar` before each computation.

    `business_index` is the number of business days up to and including this day, so the business days
    after day A up to and including day B are `index(B) - index(A)`: one subtraction in SQL, whatever the
    holidays in between. `starts_at` is the local midnight as an instant, so a timestamp finds its day
    with an indexed `starts_at <= t` lookup on SQLite and PostgreSQL alike.
    """

    date = models.DateField(primary_key=True)
    starts_at = models.DateTimeField(unique=True)
    is_business_day = models.BooleanField()
    business_index = models.PositiveIntegerField()

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} #{self.business_index}"


class PublishedMonth(models.Model):
    """A month's figures as published. Never edited: a republication adds a revision and keeps this one."""

    year = models.PositiveSmallIntegerField(_("year"))
    month = models.PositiveSmallIntegerField(_("month"))
    revision = models.PositiveSmallIntegerField(_("revision"), default=1)
    is_current = models.BooleanField(_("current revision"), default=True)
    published_at = models.DateTimeField(_("published"), default=timezone.now)
    revision_note = models.TextField(_("revision note"), blank=True)
    # The threshold in force when the month was computed: a later change of the setting does not re-rank it.
    min_closed = models.PositiveIntegerField(_("minimum closed cases to be ranked"))
    national = models.JSONField(_("national figures"))
    ckan_published_at = models.DateTimeField(_("published to the open-data portal"), null=True, blank=True)

    class Meta:
        ordering = ["-year", "-month", "-revision"]
        verbose_name = _("published month")
        verbose_name_plural = _("published months")
        constraints = [
            models.UniqueConstraint(fields=["year", "month", "revision"], name="published_month_revision"),
            models.UniqueConstraint(
                fields=["year", "month"], condition=models.Q(is_current=True), name="published_month_one_current"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year}-{self.month:02d} r{self.revision}"

    @property
    def key(self) -> str:
        return f"{self.year}-{self.month:02d}"


class EntityFigures(models.Model):
    """One entity's figures in a published month: its totals (category empty) or one of its categories.

    The entity's name and kind are copied so that a renamed entity does not change a published month.
    """

    published_month = models.ForeignKey(PublishedMonth, on_delete=models.CASCADE, related_name="entity_rows")
    entity = models.ForeignKey("entities.Entity", null=True, on_delete=models.SET_NULL, related_name="+")
    entity_code = models.CharField(max_length=32)
    entity_name = models.CharField(max_length=200)
    entity_kind = models.CharField(max_length=20)
    category = models.ForeignKey("cases.Category", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    category_code = models.CharField(max_length=64, blank=True)
    rank = models.PositiveIntegerField(null=True, blank=True)
    figures = models.JSONField()

    class Meta:
        ordering = ["published_month", "rank", "entity_name", "category_code"]
        indexes = [
            models.Index(fields=["published_month", "category_code", "rank"], name="entity_figures_table"),
            models.Index(fields=["entity_code", "category_code"], name="entity_figures_trend"),
        ]

    def __str__(self) -> str:
        return f"{self.published_month} {self.entity_code} {self.category_code}"
