"""Back-office records that are not part of a case's own life: who looked at a reporter's contact, and
the calls that needed no case (information-only contacts, counted in the published figures)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from cases.models import Channel


class ContactAccess(models.Model):
    """One viewing of a reporter's personal data by a member of staff ("show contact").

    Supervisors (their entity's cases) and administrators read this log; it names the case and the
    viewer, never the personal data itself, so the retention job has nothing to erase here but the rows
    of cases whose contact it erased (they then point at nothing worth protecting).
    """

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="contact_accesses")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    # The entity in charge of the case at the time: a supervisor reads the log of their entity's cases.
    entity = models.ForeignKey("entities.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("viewed at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("contact viewing")
        verbose_name_plural = _("contact viewings")
        indexes = [models.Index(fields=["entity", "-created_at"], name="contact_access_entity")]


class InformationContact(models.Model):
    """A contact that needed no case: a caller asked a question and got the answer (the 311 agent
    console records it). The published figures count these by channel beside the cases."""

    topic = models.CharField(_("topic"), max_length=200)
    entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entity")
    )
    procedure = models.ForeignKey(
        "catalog.Procedure", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("procedure")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.PHONE)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(_("at"), default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("information-only contact")
        verbose_name_plural = _("information-only contacts")

    def __str__(self) -> str:
        return self.topic


class AnswerTemplate(models.Model):
    """A ready answer for a category (optionally only for one state), in one language. Placeholders are
    listed in backoffice.answer_templates.PLACEHOLDERS; the body is validated there before it is saved.
    Supervisors edit them (`/oficina/supervision/categorias/<code>/respuestas/`); every change is kept by
    django-simple-history with the member who made it, and read on the audit page."""

    category = models.ForeignKey(
        "cases.Category", on_delete=models.CASCADE, related_name="answer_templates", verbose_name=_("category")
    )
    state = models.CharField(
        _("state"), max_length=20, blank=True, help_text=_("Offered only while the case is in this state; empty: always.")
    )
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("answer"), max_length=4000)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES, default="es")
    created_at = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        ordering = ["category", "title", "pk"]
        verbose_name = _("answer template")
        verbose_name_plural = _("answer templates")

    def __str__(self) -> str:
        return self.title

    @property
    def state_label(self) -> str:
        """The state it is offered in, by name; empty for "any state"."""
        from cases.models import State

        return State(self.state).label if self.state in State.values else ""


class SavedFilter(models.Model):
    """A queue filter a member of staff named and keeps (the query string of the queue page)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_filters")
    name = models.CharField(_("name"), max_length=80)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["user", "name"], name="saved_filter_unique_name")]

    def __str__(self) -> str:
        return self.name


class SessionEpoch(models.Model):
    """"Sign out everywhere": every session remembers the epoch it was opened in; bumping it ends them all
    at their next request (backoffice/middleware.py). No row means epoch 0."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, primary_key=True, related_name="+")
    epoch = models.PositiveIntegerField(default=0)

    @classmethod
    def current(cls, user_id) -> int:
        return cls.objects.filter(user_id=user_id).values_list("epoch", flat=True).first() or 0

    @classmethod
    def bump(cls, user) -> int:
        row, _created = cls.objects.get_or_create(user=user)
        cls.objects.filter(pk=row.pk).update(epoch=models.F("epoch") + 1)
        return cls.current(user.pk)
