"""Who may see which cases. Every view, API endpoint, export and admin page goes through these methods,
so none of them can forget a rule (the Read the Docs pattern)."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from entities.querysets import Roles


class CategoryQuerySet(models.QuerySet):
    def active(self) -> "CategoryQuerySet":
        return self.filter(active=True)

    def listed(self) -> "CategoryQuerySet":
        """Offered to the public as services: the report form and Open311. Never sensitive ones."""
        return self.filter(active=True, public=True, sensitive=False)

    def sensitive(self) -> "CategoryQuerySet":
        return self.filter(active=True, sensitive=True)


class CaseQuerySet(models.QuerySet):
    def visible_to(self, user) -> "CaseQuerySet":
        """The cases a signed-in user may see in the back office and the staff API.

        - administrators and 311 agents: every non-sensitive case;
        - entity staff and supervisors: non-sensitive cases their entity is in charge of;
        - operators: urgent non-sensitive cases (the operations board);
        - oversight investigators: sensitive cases, and they are the only ones who see them;
        - a signed-in citizen: the non-sensitive cases they reported themselves.
        """
        roles = Roles.of(user)
        if not getattr(user, "is_authenticated", False):
            return self.none()
        non_sensitive = Q(category__sensitive=False)
        rule = Q(reporter_user=user) & non_sensitive
        if roles.is_admin or roles.is_agent:
            rule |= non_sensitive
        if roles.staff_entities:
            rule |= non_sensitive & Q(entity_id__in=roles.staff_entities)
        if roles.operator_entities:
            rule |= non_sensitive & Q(category__urgent=True)
        if roles.investigator_entities:
            rule |= Q(category__sensitive=True)
        return self.filter(rule)

    def public(self) -> "CaseQuerySet":
        """What anyone may read (Open311 GET, published figures): no sensitive categories, no spam."""
        return self.filter(category__sensitive=False).exclude(rejection_reason="spam")

    def open(self) -> "CaseQuerySet":
        from .models import OPEN_STATES

        return self.filter(state__in=OPEN_STATES)

    def by_number(self) -> "CaseQuerySet":
        """In number order: by year, then sequence (the text would put 2026-1000000 before 2026-999999)."""
        return self.order_by("year", "sequence")

    def triage(self) -> "CaseQuerySet":
        """The 311 triage queue: cases no rule could route (held by the contact center, or by nobody)."""
        return self.filter(Q(entity__isnull=True) | Q(entity__is_contact_center=True))


class EventQuerySet(models.QuerySet):
    def public(self) -> "EventQuerySet":
        return self.filter(public=True)
