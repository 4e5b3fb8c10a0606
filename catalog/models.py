"""The procedures catalog (trámites): what a citizen must bring, do and pay to get something done."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import ProcedureQuerySet, ThemeQuerySet


class Theme(models.Model):
    """A life event ("I am starting a business") under which procedures are browsed."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=100)
    name_en = models.CharField(_("name (English)"), max_length=100)

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["name_es"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_en if (get_language() or "es")[:2] == "en" and self.name_en else self.name_es


class Procedure(models.Model):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    entity = models.ForeignKey(
        "entities.Entity", on_delete=models.PROTECT, related_name="procedures", verbose_name=_("entity")
    )
    name = models.CharField(_("name"), max_length=200)
    name_en = models.CharField(_("name (English)"), max_length=200, blank=True)
    summary = models.TextField(_("summary"))
    summary_en = models.TextField(_("summary (English)"), blank=True)
    who_may_apply = models.TextField(_("who may apply"), blank=True)
    requirements = models.JSONField(_("requirements"), default=list, blank=True)
    documents = models.JSONField(_("documents to bring"), default=list, blank=True)
    steps = models.JSONField(_("steps"), default=list, blank=True)
    cost = models.DecimalField(_("cost (B/.)"), max_digits=10, decimal_places=2, null=True, blank=True)
    cost_notes = models.CharField(_("cost notes"), max_length=300, blank=True)
    duration = models.CharField(_("duration"), max_length=200, blank=True)
    online_url = models.URLField(_("online service"), blank=True)
    # [{"name": ..., "address": ..., "hours": ...}]
    offices = models.JSONField(_("offices"), default=list, blank=True)
    phone = models.CharField(_("phone"), max_length=60, blank=True)
    legal_basis = models.TextField(_("legal basis"), blank=True)
    keywords = models.JSONField(_("keywords"), default=list, blank=True)
    themes = models.ManyToManyField(Theme, related_name="procedures", blank=True, verbose_name=_("themes"))
    last_reviewed = models.DateField(_("last reviewed"))
    source_url = models.URLField(_("source"), blank=True)
    active = models.BooleanField(_("published"), default=True)
    # Indexed: the search index checks MAX(updated_at) on every query to know whether to rebuild.
    updated_at = models.DateTimeField(auto_now=True, db_index=True)

    history = HistoricalRecords(m2m_fields=[themes])
    objects = ProcedureQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("procedure")
        verbose_name_plural = _("procedures")

    def __str__(self) -> str:
        return self.name

    @property
    def localized_name(self) -> str:
        return self.name_en if (get_language() or "es")[:2] == "en" and self.name_en else self.name

    @property
    def localized_summary(self) -> str:
        return self.summary_en if (get_language() or "es")[:2] == "en" and self.summary_en else self.summary

    # The language of what `localized_name` / `localized_summary` return, for the page's lang attributes:
    # an English page shows the Spanish text where no translation exists, and says so to screen readers.
    @property
    def name_language(self) -> str:
        return "en" if (get_language() or "es")[:2] == "en" and self.name_en else settings.LANGUAGE_CODE

    @property
    def summary_language(self) -> str:
        return "en" if (get_language() or "es")[:2] == "en" and self.summary_en else settings.LANGUAGE_CODE

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("catalog:detail", args=[self.slug])

    @property
    def review_overdue(self) -> bool:
        """Not reviewed within the configured period: the page says so honestly."""
        from .querysets import review_cutoff

        return self.last_reviewed < review_cutoff()
