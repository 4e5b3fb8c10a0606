"""The operations board (`/operaciones/`), its actions and the shift view. Thin: the rules live in
`operations.services` and `operations.querysets`.

Actions are plain form POSTs (the board works without JavaScript); the board's script sends the same
forms with `Accept: application/json` and gets the alert's new snapshot, or the error, as JSON.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Max
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from entities.querysets import Roles

from .. import services
from ..models import OPEN_ALERT_STATES, Alert, AlertState, CapUrgency, DispatchState, OpsEvent
from ..push import snapshot
from ..querysets import operates_board, sees_board


def board_required(view):
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not sees_board(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def distance_m(a: Alert, b: Alert) -> float:
    """Great-circle distance between two alerts' points, in metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (a.case.lat, a.case.lon, b.case.lat, b.case.lon))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6_371_000 * math.asin(math.sqrt(h))


def merge_suggestions(alerts: list[Alert]) -> dict[int, list[str]]:
    """For each alert, the other open alerts near it in space and time: probably one incident."""
    window = timedelta(minutes=settings.OPERATIONS_MERGE_WINDOW_MINUTES)
    placed = [a for a in alerts if a.case.lat is not None and a.case.lon is not None]
    suggestions: dict[int, list[str]] = {}
    for alert in placed:
        suggestions[alert.pk] = [
            other.case.number
            for other in placed
            if other.pk != alert.pk
            and abs(other.created_at - alert.created_at) <= window
            and distance_m(alert, other) <= settings.OPERATIONS_MERGE_RADIUS_METERS
        ]
    return suggestions


def board_alerts(user) -> list[Alert]:
    alerts = list(Alert.objects.visible_to(user).open().for_board().order_by("-severity", "-created_at"))
    suggestions = merge_suggestions(alerts)
    now = timezone.now()
    for alert in alerts:
        alert.snapshot = snapshot(alert, now)
        alert.snapshot["nearby"] = suggestions.get(alert.pk, [])
        # Labels for the server-rendered rows (the script takes them from the page's configuration).
        alert.snapshot["state_label"] = alert.get_state_display()
        alert.snapshot["category_label"] = alert.case.category.name
        alert.snapshot["urgency_label"] = alert.get_urgency_display() if alert.urgency else ""
        for item, dispatch in zip(alert.snapshot["dispatches"], alert.dispatches.all()):
            item["state_label"] = dispatch.get_state_display()
    return alerts


def board_config(request: HttpRequest) -> dict:
    roles = Roles.of(request.user)
    return {
        "socket": "/ws/operaciones/",
        "last_seq": OpsEvent.objects.aggregate(last=Max("seq"))["last"] or 0,
        "operates": operates_board(request.user),
        "agencies": sorted(roles.dispatcher_entities),
        "user_id": request.user.pk,
        "language": (request.LANGUAGE_CODE or settings.LANGUAGE_CODE)[:2],
        "states": dict(AlertState.choices),
        "dispatch_states": dict(DispatchState.choices),
        "urgencies": dict(CapUrgency.choices),
        "tile_url": settings.MAP_TILE_URL,
    }


@board_required
def board(request: HttpRequest) -> HttpResponse:
    alerts = board_alerts(request.user)
    return render(
        request,
        "operations/board.html",
        {
            "alerts": alerts,
            "snapshots": [alert.snapshot for alert in alerts],
            "config": board_config(request),
            "operates": operates_board(request.user),
            "agencies": services.responding_agencies(),
            "my_agencies": Roles.of(request.user).dispatcher_entities,
            "false_alarm_reasons": [(r.value, r.label) for r in services.FALSE_ALARM_REASONS],
            "severities": range(5, 0, -1),
        },
    )


ACTIONS = {"acknowledge", "take_over", "dispatch", "dispatch_status", "resolve", "false_alarm", "merge", "publish", "severity"}


def run_action(alert: Alert, user, action: str, data) -> Alert:
    version = data.get("version") or None
    if version is not None and not str(version).isdigit():
        raise services.StaleView(_("Reload the board and try again."))
    if action == "acknowledge":
        return services.acknowledge(alert, user, version)
    if action == "take_over":
        return services.take_over(alert, user, version)
    if action == "dispatch":
        ids = data.getlist("agencies")
        if not all(str(pk).isdigit() for pk in ids):
            raise services.OperationError(_("Choose one or more responding agencies."))
        return services.dispatch(alert, user, [int(pk) for pk in ids], data.get("note", ""), version)
    if action == "dispatch_status":
        agency = data.get("agency", "")
        if not agency.isdigit():
            raise services.OperationError(_("This agency was not dispatched to this alert."))
        return services.update_dispatch(alert, int(agency), user, data.get("status", ""), version)
    if action == "resolve":
        return services.resolve(alert, user, data.get("outcome", ""), version)
    if action == "false_alarm":
        return services.mark_false_alarm(alert, user, data.get("reason", ""), data.get("note", ""), version)
    if action == "merge":
        return services.merge(alert, user, data.get("into", ""), version)
    if action == "publish":
        return services.publish_to_feed(alert, user, data.get("message", ""), version)
    severity = data.get("severity", "")
    if not severity.isdigit():
        raise services.OperationError(_("Severity goes from 1 to 5."))
    return services.set_severity(alert, user, int(severity), version)


def wants_json(request: HttpRequest) -> bool:
    return "application/json" in request.headers.get("Accept", "")


@require_POST
@board_required
def act(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in ACTIONS:
        raise Http404
    alert = Alert.objects.visible_to(request.user).select_related("case").filter(case__number=number).first()
    if alert is None:
        raise Http404
    try:
        alert = run_action(alert, request.user, action, request.POST)
    except services.OperationError as error:
        if wants_json(request):
            current = Alert.objects.for_board().get(pk=alert.pk)
            seq = OpsEvent.objects.filter(alert=current).aggregate(last=Max("seq"))["last"]
            return JsonResponse({"error": str(error), "code": error.code, "alert": snapshot(current), "seq": seq}, status=409)
        messages.error(request, str(error))
        return redirect("operations:board")
    except PermissionDenied:
        if wants_json(request):
            return JsonResponse({"error": _("You may not do this."), "code": "forbidden"}, status=403)
        raise
    if wants_json(request):
        current = Alert.objects.for_board().get(pk=alert.pk)
        seq = OpsEvent.objects.filter(alert=current).aggregate(last=Max("seq"))["last"]
        return JsonResponse({"alert": snapshot(current), "seq": seq})
    return redirect("operations:board")


def shift_start(now: datetime) -> datetime:
    """The start of the current shift: the latest configured local hour at or before now."""
    local = timezone.localtime(now)
    starts = sorted(settings.OPERATIONS_SHIFT_START_HOURS)
    today = [local.replace(hour=h, minute=0, second=0, microsecond=0) for h in starts]
    earlier = [start for start in today if start <= local]
    if earlier:
        return earlier[-1]
    return today[-1] - timedelta(days=1)


def mean_minutes(queryset, field: str) -> float | None:
    # A shift has tens of alerts: averaged here, the same way on SQLite and PostgreSQL.
    pairs = list(queryset.values_list("created_at", field))
    if not pairs:
        return None
    return round(sum((end - start).total_seconds() for start, end in pairs) / len(pairs) / 60, 1)


@board_required
def shift(request: HttpRequest) -> HttpResponse:
    now = timezone.now()
    start = shift_start(now)
    visible = Alert.objects.visible_to(request.user)
    arrived = visible.filter(created_at__gte=start)
    by_severity = dict(
        visible.filter(state__in=OPEN_ALERT_STATES).values_list("severity").annotate(n=Count("pk")).values_list("severity", "n")
    )
    return render(
        request,
        "operations/shift.html",
        {
            "start": start,
            "open_by_severity": [(severity, by_severity.get(severity, 0)) for severity in range(5, 0, -1)],
            "open_total": sum(by_severity.values()),
            "arrived": arrived.count(),
            "mean_ack": mean_minutes(arrived.filter(acknowledged_at__isnull=False), "acknowledged_at"),
            "mean_dispatch": mean_minutes(arrived.filter(dispatched_at__isnull=False), "dispatched_at"),
            "escalated": arrived.filter(escalated_at__isnull=False).count(),
        },
    )
