"""Who sees which alerts on the board. Views, the WebSocket consumer and its catch-up all call these.

- operators (any operations-center membership) and administrators: every alert whose case they may see
  (`Case.objects.visible_to`: urgent, non-sensitive);
- dispatchers: only the alerts dispatched to their agency;
- nobody else sees the board at all.
"""

from __future__ import annotations

from django.db import models

from entities.querysets import Roles


def sees_board(user) -> bool:
    roles = Roles.of(user)
    return roles.is_admin or roles.is_operator or roles.is_dispatcher


def operates_board(user) -> bool:
    """Acknowledges, dispatches, resolves: operators and administrators (not dispatchers)."""
    roles = Roles.of(user)
    return roles.is_admin or roles.is_operator


class AlertQuerySet(models.QuerySet):
    def visible_to(self, user) -> "AlertQuerySet":
        from cases.models import Case

        roles = Roles.of(user)
        if not sees_board(user):
            return self.none()
        cases = Case.objects.visible_to(user)
        if roles.is_admin or roles.is_operator:
            return self.filter(case__in=cases)
        return self.filter(case__in=cases, pk__in=self.dispatched_to(roles.dispatcher_entities).values("pk"))

    def dispatched_to(self, agency_ids) -> "AlertQuerySet":
        return self.model.objects.filter(dispatches__agency_id__in=list(agency_ids))

    def open(self) -> "AlertQuerySet":
        from .models import OPEN_ALERT_STATES

        return self.filter(state__in=OPEN_ALERT_STATES)

    def for_board(self) -> "AlertQuerySet":
        return self.select_related("case__category", "case__district", "claimed_by", "merged_into__case").prefetch_related(
            "dispatches__agency"
        )


class OpsEventQuerySet(models.QuerySet):
    def visible_to(self, user) -> "OpsEventQuerySet":
        from .models import Alert

        return self.filter(alert__in=Alert.objects.visible_to(user))
