"""Public bodies, the staff who work for them, and the territory they serve."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .querysets import EntityQuerySet, MembershipQuerySet


class Province(models.Model):
    """A first-level division (province or comarca)."""

    code = models.CharField(_("code"), max_length=16, unique=True)
    name = models.CharField(_("name"), max_length=120)

    class Meta:
        ordering = ["name"]
        verbose_name = _("province")
        verbose_name_plural = _("provinces")

    def __str__(self) -> str:
        return self.name


class District(models.Model):
    """A district: in Panama the territory of one municipality.

    The polygon is kept as GeoJSON text plus an indexed bounding box, so that point-in-polygon works the
    same on SQLite and PostgreSQL without a spatial database (see docs/decisions.md).
    """

    code = models.CharField(_("code"), max_length=64, unique=True)
    name = models.CharField(_("name"), max_length=120)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="districts", verbose_name=_("province"))
    geometry = models.JSONField(_("boundary (GeoJSON geometry)"))
    min_lat = models.FloatField()
    max_lat = models.FloatField()
    min_lon = models.FloatField()
    max_lon = models.FloatField()
    # Part of the key of the per-process polygon cache (entities/geo.py): a boundary file loaded by a
    # command in another process changes polygons in place, and every web worker must notice.
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        indexes = [models.Index(fields=["min_lat", "max_lat", "min_lon", "max_lon"], name="district_bbox")]

    def __str__(self) -> str:
        return f"{self.name} ({self.province.name})"


class Entity(models.Model):
    """A public body that receives cases and publishes procedures."""

    class Kind(models.TextChoices):
        MINISTRY = "ministry", _("Ministry")
        AUTONOMOUS = "autonomous", _("Autonomous institution")
        AUTHORITY = "authority", _("Authority")
        MUNICIPALITY = "municipality", _("Municipality")
        PUBLIC_COMPANY = "public_company", _("Public company")
        INDEPENDENT = "independent", _("Independent body")
        CONTACT_CENTER = "contact_center", _("Contact center")
        OTHER = "other", _("Other")

    code = models.SlugField(_("code"), max_length=32, unique=True, allow_unicode=False)
    name = models.CharField(_("name"), max_length=200)
    acronym = models.CharField(_("acronym"), max_length=32, blank=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children", verbose_name=_("parent")
    )
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    district = models.OneToOneField(
        District,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="municipality",
        verbose_name=_("district"),
        help_text=_("Municipalities only: the district whose reports they receive."),
    )
    # The contact center's queue is the triage queue for cases no rule could route.
    is_contact_center = models.BooleanField(_("contact center (triage queue)"), default=False)
    # Only the oversight body sees sensitive categories (corruption complaints).
    is_oversight = models.BooleanField(_("oversight body"), default=False)
    # The operations board (operations/): operators of an operations center see every open alert; a
    # responding agency (civil protection, fire, police, health, water) is dispatched to alerts.
    is_operations_center = models.BooleanField(_("operations center"), default=False)
    is_responding_agency = models.BooleanField(_("responding agency"), default=False)
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = EntityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name = _("entity")
        verbose_name_plural = _("entities")

    def __str__(self) -> str:
        return f"{self.name} ({self.acronym})" if self.acronym else self.name

    @property
    def short_name(self) -> str:
        return self.acronym or self.name


class Membership(models.Model):
    """A staff user's role, most of them within one entity.

    Roles (DESIGN.md): agent (311 contact center, files for callers, sees all non-sensitive cases),
    staff (own entity's cases), supervisor (staff + assigns, edits the entity's catalog), investigator
    (oversight entity: sensitive categories only), operator (operations board: urgent cases), dispatcher
    (a responding agency: the alerts dispatched to it).
    Administrators are Django superusers and have no membership.
    """

    class Role(models.TextChoices):
        AGENT = "agent", _("311 agent")
        STAFF = "staff", _("Entity staff")
        SUPERVISOR = "supervisor", _("Entity supervisor")
        INVESTIGATOR = "investigator", _("Oversight investigator")
        OPERATOR = "operator", _("Operations operator")
        DISPATCHER = "dispatcher", _("Agency dispatcher")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    entity = models.ForeignKey(Entity, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("entity"))
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "entity", "role"], name="membership_unique_role")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_role_display()} · {self.entity.short_name}"
