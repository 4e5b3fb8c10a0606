"""Telling every open board: an `OpsEvent` row written in the change's transaction, then sent to the
channel-layer groups once the transaction commits (a rolled-back change tells nobody).

Groups: `ops.all` (operators and administrators) and `ops.agency.<id>` (dispatchers of that agency, for
alerts dispatched to it). Every message carries the case number and the event's sequence number.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction
from django.utils import timezone

from .models import Alert, OpsEvent, OpsSequence

logger = logging.getLogger(__name__)

ALL_GROUP = "ops.all"


def agency_group(agency_id: int) -> str:
    return f"ops.agency.{agency_id}"


def snapshot(alert: Alert, now=None) -> dict[str, Any]:
    """The alert as a board shows it. No reporter contact data: boards never show it."""
    now = now or timezone.now()
    case = alert.case
    holder = alert.claim_holder(now)
    return {
        "number": case.number,
        "state": alert.state,
        "case_state": case.state,
        "severity": alert.severity,
        "exercise": alert.exercise,
        "source": alert.source,
        "category": case.category.code,
        "category_es": case.category.name_es,
        "category_en": case.category.name_en,
        "description": case.description[:300],
        "district": case.district.name if case.district_id else "",
        "lat": case.lat,
        "lon": case.lon,
        "people_affected": alert.people_affected,
        "urgency": alert.urgency,
        "created_at": alert.created_at.isoformat(),
        "claimed_by": (holder.get_full_name() or holder.username) if holder else "",
        "claimed_by_id": holder.pk if holder else None,
        "claimed_until": alert.claimed_until.isoformat() if holder and alert.claimed_until else None,
        "escalated": bool(alert.escalated_at) or any(d.escalated_at for d in alert.dispatches.all()),
        "merged_into": alert.merged_into.case.number if alert.merged_into_id else "",
        "published": bool(alert.published_at),
        "version": alert.version,
        "dispatches": [
            {"agency_id": d.agency_id, "agency": d.agency.short_name, "state": d.state, "note": d.note}
            for d in alert.dispatches.all()
        ],
    }


def groups_for(alert: Alert) -> list[str]:
    # From the dispatches `for_board()` prefetched: no query of its own.
    return [ALL_GROUP, *(agency_group(agency_id) for agency_id in sorted({d.agency_id for d in alert.dispatches.all()}))]


def publish(alert: Alert | None, kind: str, payload: dict[str, Any] | None = None) -> OpsEvent:
    """Log one board event and send it after commit. `payload` defaults to the alert's snapshot."""
    if alert is not None:
        alert = Alert.objects.for_board().get(pk=alert.pk)
    body = payload if payload is not None else snapshot(alert)
    event = OpsEvent.objects.create(seq=OpsSequence.next(), alert=alert, kind=kind, payload=body)
    message = event_message(event, alert.case.number if alert else "")
    groups = groups_for(alert) if alert is not None else [ALL_GROUP]
    transaction.on_commit(lambda: send(groups, message))
    return event


def event_message(event: OpsEvent, number: str) -> dict[str, Any]:
    return {"type": "event", "seq": event.seq, "kind": event.kind, "number": number, "data": event.payload}


def send(groups: list[str], message: dict[str, Any]) -> None:
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        loop = None
    # Serialised once here, not once per board: at 50 alerts a second to 100 boards, encoding the same
    # message in every consumer was a large part of the server's time. The payload came from a JSON column.
    event = {"type": "ops.event", "seq": message.get("seq", 0), "text": json.dumps(message)}
    for group in groups:
        try:
            if loop is not None:
                # Called from a thread that runs an event loop (not Django's request threads): hand it over.
                loop.create_task(layer.group_send(group, event))
            else:
                async_to_sync(layer.group_send)(group, event)
        except Exception:  # the log is the source of truth: a board that missed this catches up
            logger.exception("could not push operations event %s to %s", message.get("seq"), group)
