"""Escalation with a controlled clock: an alert not acknowledged in its severity's minutes, or an agency
that has not responded in time, turns red and the shift supervisor is told, once."""

from datetime import timedelta

import pytest
from django.utils import timezone

from operations import services
from operations.jobs import escalate_overdue_alerts
from operations.models import OpsEvent

from .helpers import file_flood




def notifications():
    """What reached the notifications outbox for staff (the escalation goes through notify_staff)."""
    from notifications.models import Message

    return [
        {"user": user, "subject": subject}
        for user, subject in Message.objects.filter(kind=Message.Kind.STAFF).order_by("pk").values_list("recipient_user", "subject")
    ]


def test_an_unacknowledged_alert_escalates_after_its_severitys_minutes(ops, settings):
    settings.OPERATIONS_ACK_MINUTES = {5: 2, 4: 5, 3: 10, 2: 20, 1: 30}
    extreme = file_flood(ops.world, severity=5)
    minor = file_flood(ops.world, severity=1)
    start = extreme.created_at

    assert escalate_overdue_alerts(now=start + timedelta(minutes=1, seconds=59)) == []
    assert escalate_overdue_alerts(now=start + timedelta(minutes=2)) == [extreme.case.number]
    extreme.refresh_from_db()
    assert extreme.escalated_at == start + timedelta(minutes=2)
    assert OpsEvent.objects.filter(alert=extreme, kind="escalated").get().payload["escalated"] is True

    [sent] = notifications()
    assert sent["user"] == ops.shift_supervisor.pk
    assert extreme.case.number in sent["subject"] and "sin atender" in sent["subject"]
    # Once only.
    assert escalate_overdue_alerts(now=start + timedelta(minutes=29)) == []
    assert escalate_overdue_alerts(now=minor.created_at + timedelta(minutes=30)) == [minor.case.number]
    assert len(notifications()) == 2


def test_an_acknowledged_alert_does_not_escalate(ops):
    alert = file_flood(ops.world, severity=5)
    services.acknowledge(alert, ops.operator)
    assert escalate_overdue_alerts(now=timezone.now() + timedelta(hours=1)) == []
    assert notifications() == []


def test_an_agency_that_does_not_respond_escalates(ops, settings):
    settings.OPERATIONS_DISPATCH_RESPONSE_MINUTES = 10
    alert = services.dispatch(services.acknowledge(file_flood(ops.world), ops.operator), ops.operator, [ops.bomberos.pk, ops.police.pk])
    services.update_dispatch(alert, ops.police.pk, ops.police_dispatcher, "depart")
    requested = alert.dispatches.get(agency=ops.bomberos).requested_at
    assert escalate_overdue_alerts(now=requested + timedelta(minutes=9)) == []
    assert escalate_overdue_alerts(now=requested + timedelta(minutes=10)) == [alert.case.number]
    [sent] = notifications()
    assert "BCBRP" in sent["subject"] and "PN" not in sent["subject"]
    assert escalate_overdue_alerts(now=requested + timedelta(minutes=60)) == []


def test_an_exercise_says_so_in_every_message(ops):
    alert = file_flood(ops.world, severity=5, exercise=True)
    escalate_overdue_alerts(now=alert.created_at + timedelta(hours=1))
    [sent] = notifications()
    assert sent["subject"].startswith("[EJERCICIO] ")


def test_the_notifications_outbox_is_used_when_it_exists(ops, monkeypatch):
    from operations import notify

    calls = []
    monkeypatch.setattr(notify, "_notify_staff", lambda: lambda user, subject, body, *, key: calls.append((user, key)))
    alert = file_flood(ops.world, severity=5)
    escalate_overdue_alerts(now=alert.created_at + timedelta(hours=1))
    assert calls == [(ops.shift_supervisor, f"operations:unacknowledged:{alert.pk}:{ops.shift_supervisor.pk}")]
    assert notifications() == []
