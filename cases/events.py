"""Recording a case's timeline. Every event goes through `record_event()` so that what reacts to an event
(the notifications outbox, the operations board's push) hears about it inside the same transaction:
a receiver of `event_recorded` that writes rows writes them atomically with the change, and a rollback
of the change takes them away too (nothing is sent from inside a request)."""

from __future__ import annotations

from django.dispatch import Signal

from .models import CaseEvent

# Sent with `event` (a saved CaseEvent) inside the transaction that recorded it. Receivers must not do
# network work here: they write rows (an outbox message) and return.
event_recorded = Signal()


def record_event(case, kind: str, **fields) -> CaseEvent:
    event = CaseEvent.objects.create(case=case, kind=kind, **fields)
    event_recorded.send(sender=CaseEvent, event=event)
    return event


def record_events(events: list[CaseEvent]) -> list[CaseEvent]:
    """Several events at once (a new case's "created" and "routed"). Bulk-inserted, then announced."""
    created = CaseEvent.objects.bulk_create(events)
    for event in created:
        event_recorded.send(sender=CaseEvent, event=event)
    return created
