"""Periodic work of the operations board. Plain functions: the notifications scheduler calls them
(every minute), tests call them with a controlled clock, `ventanilla escalate_alerts` runs them by hand."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from entities.models import Membership

from .models import OPEN_ALERT_STATES, Alert, AlertState, Dispatch, DispatchState
from .notify import escalate_to
from .push import publish


def ack_minutes(severity: int) -> int:
    table = settings.OPERATIONS_ACK_MINUTES
    return table.get(severity, max(table.values()) if table else 10)


def shift_supervisors():
    """The supervisors of every active operations center: they take the escalations."""
    from django.contrib.auth import get_user_model

    ids = Membership.objects.filter(
        role=Membership.Role.SUPERVISOR, entity__is_operations_center=True, entity__active=True, user__is_active=True
    ).values("user_id")
    return get_user_model().objects.filter(pk__in=ids).order_by("pk")


def exercise_prefix(alert: Alert) -> str:
    return _("[EXERCISE] ") if alert.exercise else ""


def escalate_overdue_alerts(now=None) -> list[str]:
    """Escalate alerts not acknowledged in time and dispatches not answered in time. Each escalates once.
    Returns the case numbers escalated."""
    now = now or timezone.now()
    late_ack = Q()
    for severity in range(1, 6):
        late_ack |= Q(severity=severity, created_at__lte=now - timedelta(minutes=ack_minutes(severity)))
    escalated = []
    for alert_id in Alert.objects.filter(late_ack, state=AlertState.NEW, escalated_at__isnull=True).values_list("pk", flat=True):
        number = _escalate_alert(alert_id, now)
        if number:
            escalated.append(number)
    limit = now - timedelta(minutes=settings.OPERATIONS_DISPATCH_RESPONSE_MINUTES)
    late_dispatches = Dispatch.objects.filter(
        state=DispatchState.REQUESTED, escalated_at__isnull=True, requested_at__lte=limit, alert__state__in=OPEN_ALERT_STATES
    ).values_list("pk", flat=True)
    for dispatch_id in late_dispatches:
        number = _escalate_dispatch(dispatch_id, now)
        if number:
            escalated.append(number)
    return escalated


@transaction.atomic
def _escalate_alert(alert_id: int, now) -> str | None:
    alert = Alert.objects.select_for_update().select_related("case__category").get(pk=alert_id)
    if alert.state != AlertState.NEW or alert.escalated_at is not None:
        return None  # acknowledged meanwhile, or another runner escalated it
    alert.escalated_at = now
    alert.version += 1
    alert.save(update_fields=["escalated_at", "version"])
    publish(alert, "escalated")
    minutes = int((now - alert.created_at).total_seconds() // 60)
    for user in shift_supervisors():
        with override(settings.LANGUAGE_CODE):  # staff messages go out in the site's language
            subject = exercise_prefix(alert) + _("Alert %(number)s not acknowledged after %(minutes)d minutes") % {
                "number": alert.case.number, "minutes": minutes
            }
            body = _("Severity %(severity)d, %(category)s. Open the operations board to take it.") % {
                "severity": alert.severity, "category": alert.case.category.name
            }
        escalate_to(user, subject, body, key=f"operations:unacknowledged:{alert.pk}:{user.pk}")
    return alert.case.number


@transaction.atomic
def _escalate_dispatch(dispatch_id: int, now) -> str | None:
    item = Dispatch.objects.select_for_update().select_related("agency", "alert__case__category").get(pk=dispatch_id)
    if item.state != DispatchState.REQUESTED or item.escalated_at is not None:
        return None
    item.escalated_at = now
    item.save(update_fields=["escalated_at"])
    alert = item.alert
    Alert.objects.filter(pk=alert.pk).update(version=alert.version + 1)
    alert.refresh_from_db()
    publish(alert, "escalated")
    for user in shift_supervisors():
        with override(settings.LANGUAGE_CODE):  # staff messages go out in the site's language
            subject = exercise_prefix(alert) + _("%(agency)s has not responded to alert %(number)s") % {
                "agency": item.agency.short_name, "number": alert.case.number
            }
            body = _("Dispatched %(minutes)d minutes ago and still not en route.") % {
                "minutes": int((now - item.requested_at).total_seconds() // 60)
            }
        escalate_to(user, subject, body, key=f"operations:no-response:{item.pk}:{user.pk}")
    return alert.case.number
