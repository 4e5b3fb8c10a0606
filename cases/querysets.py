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
        - dispatchers of a responding agency: the urgent cases whose alert was dispatched to their agency;
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
        if roles.dispatcher_entities:
            rule |= non_sensitive & Q(category__urgent=True) & Q(pk__in=_dispatched_case_ids(roles.dispatcher_entities))
        if roles.investigator_entities:
            rule |= Q(category__sensitive=True)
        return self.filter(rule)

    def work_of(self, user) -> "CaseQuerySet":
        """The back-office queue: the part of visible_to() that is the user's daily work, written without
        visible_to()'s OR over every role so that PostgreSQL can read the queue's index in order and stop
        after one page (an OR makes it collect and sort the entity's whole queue).

        - administrators and 311 agents: every non-sensitive case;
        - staff and supervisors: non-sensitive cases of their entities;
        - oversight investigators: sensitive cases;
        - operators: urgent non-sensitive cases;
        - several of these roles at once (rare): visible_to() itself.
        Every branch is contained in visible_to(user) (backoffice/tests/test_queue.py checks it).
        """
        from .models import Category

        roles = Roles.of(user)
        if not getattr(user, "is_authenticated", False):
            return self.none()
        sensitive = list(Category.objects.filter(sensitive=True).values_list("pk", flat=True))
        if roles.is_admin or roles.is_agent:
            return self.exclude(category_id__in=sensitive)
        kinds = [bool(roles.staff_entities), roles.is_investigator, roles.is_operator]
        if sum(kinds) != 1:
            return self.visible_to(user)
        if roles.staff_entities:
            return self.filter(entity_id__in=roles.staff_entities).exclude(category_id__in=sensitive)
        if roles.is_investigator:
            return self.filter(category_id__in=sensitive)
        urgent = Category.objects.filter(urgent=True, sensitive=False).values_list("pk", flat=True)
        return self.filter(category_id__in=list(urgent))

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


def _dispatched_case_ids(agency_ids):
    """The cases whose alert was dispatched to one of these agencies (operations/, looked up by name so
    that cases/ does not import the operations app)."""
    from django.apps import apps

    if not apps.is_installed("operations"):
        return []
    dispatch = apps.get_model("operations", "Dispatch")
    return dispatch.objects.filter(agency_id__in=list(agency_ids)).values("alert__case_id")


class EventQuerySet(models.QuerySet):
    def public(self) -> "EventQuerySet":
        return self.filter(public=True)
