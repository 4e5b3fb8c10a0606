"""The periodic jobs. Each is a plain idempotent function (run it twice, the second run changes
nothing): tests call them directly, the Celery tasks and the embedded `ventanilla worker` call them
through the one schedule in ventanilla/schedule.py."""

from __future__ import annotations

import datetime as dt
import logging
from datetime import timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string

from cases.models import OPEN_STATES, Case, State, SurveyResponse
from cases.services import Actor, InvalidTransition, transition
from cases.sla import ServiceLevel, WorkCalendar, due_soon_until
from entities.models import Membership

from . import outbox
from .content import digest_content, service_level_content
from .models import InboundReceipt, Message
from .services import notify_contact, write_staff

logger = logging.getLogger(__name__)


def drain_outbox() -> dict:
    result = outbox.drain()
    prune_inbound_receipts()
    return {"sent": result.sent, "retried": result.retried, "failed": result.failed, "cancelled": result.cancelled}


def prune_inbound_receipts(now=None) -> int:
    """Receipts older than twice the timestamp window cannot be replayed (their timestamp is refused)."""
    cutoff = (now or timezone.now()) - timedelta(seconds=2 * settings.INBOUND_MAX_SKEW_SECONDS)
    return InboundReceipt.objects.filter(received_at__lt=cutoff).delete()[0]


def _supervisors(entity_id: int):
    return get_user_model().objects.filter(
        memberships__entity_id=entity_id, memberships__role=Membership.Role.SUPERVISOR, is_active=True
    ).distinct()


def sla_sweep(now=None) -> int:
    """Tell the assignee (else the entity's supervisors) once when an open case becomes due soon and
    once when it becomes overdue, by the one rule of cases/sla.py. Keyed by case, level and due date,
    so a moved due date warns again."""
    now = now or timezone.now()
    calendar = WorkCalendar()
    horizon = due_soon_until(calendar, now)
    written = 0
    cases = (
        Case.objects.filter(state__in=OPEN_STATES, due_at__isnull=False, due_at__lte=horizon)
        .select_related("category", "assignee", "entity")
        .order_by("due_at")
    )
    for case in cases.iterator(chunk_size=500):
        level = case.service_level(now=now, calendar=calendar)
        if level not in (ServiceLevel.DUE_SOON, ServiceLevel.OVERDUE):
            continue
        overdue = level == ServiceLevel.OVERDUE
        kind = Message.Kind.OVERDUE if overdue else Message.Kind.DUE_SOON
        recipients = [case.assignee] if case.assignee_id else list(_supervisors(case.entity_id)) if case.entity_id else []
        with translation.override(settings.LANGUAGE_CODE):
            content = service_level_content(case, overdue)
        for user in recipients:
            key = f"sla:{case.pk}:{level}:{case.due_at:%Y%m%d%H%M}:{user.pk}"
            written += len(write_staff(user, kind, content, key=key, case=case))
    return written


@transaction.atomic
def _close(case: Case) -> bool:
    try:
        transition(case, "close", Actor(user=None, channel=""), message="")
    except InvalidTransition:
        return False  # reopened or closed meanwhile
    return True


def auto_close_resolved(now=None) -> int:
    """Close resolved cases whose reopen window has passed (system actor, transition `close`). The
    `close` event writes the citizen's "closed" message through the outbox like any other change."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=settings.CASE_REOPEN_WINDOW_DAYS)
    closed = 0
    for case in Case.objects.filter(state=State.RESOLVED, resolved_at__lt=cutoff).order_by("resolved_at").iterator(chunk_size=200):
        closed += _close(case)
    return closed


def survey_reminders(now=None) -> int:
    """One reminder, SURVEY_REMINDER_DAYS business days after resolution, to reporters who have not
    answered and can still answer."""
    now = now or timezone.now()
    calendar = WorkCalendar()
    window_start = now - timedelta(days=settings.SURVEY_WINDOW_DAYS)
    answered = SurveyResponse.objects.values("case_id")
    written = 0
    cases = (
        Case.objects.filter(state__in=[State.RESOLVED, State.CLOSED], resolved_at__gte=window_start, is_anonymous=False)
        .exclude(pk__in=answered)
        .exclude(messages__kind=Message.Kind.SURVEY_REMINDER)
        .filter(contact__isnull=False)
        .select_related("category", "entity")
    )
    for case in cases.iterator(chunk_size=200):
        resolved_day = timezone.localtime(case.resolved_at).date()
        if calendar.business_days_between(resolved_day, timezone.localtime(now).date()) < settings.SURVEY_REMINDER_DAYS:
            continue
        with transaction.atomic():
            written += len(notify_contact(case, Message.Kind.SURVEY_REMINDER, key=f"survey-reminder:{case.pk}"))
    return written


def supervisor_digest(now=None) -> int:
    """One e-mail per supervisor and working day: their entity's overdue and due-soon open cases."""
    now = now or timezone.now()
    calendar = WorkCalendar()
    today = timezone.localtime(now).date()
    if not calendar.is_business_day(today):
        return 0
    horizon = due_soon_until(calendar, now)
    written = 0
    memberships = Membership.objects.filter(role=Membership.Role.SUPERVISOR, user__is_active=True).select_related("user", "entity")
    for membership in memberships:
        cases = list(
            Case.objects.filter(entity=membership.entity, state__in=OPEN_STATES, due_at__lte=horizon)
            .select_related("category")
            .order_by("due_at")[:200]
        )
        overdue = [c for c in cases if c.service_level(now=now, calendar=calendar) == ServiceLevel.OVERDUE]
        due_soon = [c for c in cases if c.service_level(now=now, calendar=calendar) == ServiceLevel.DUE_SOON]
        if not overdue and not due_soon:
            continue
        with translation.override(settings.LANGUAGE_CODE):
            content = digest_content(membership.entity, overdue, due_soon, today)
        key = f"digest:{membership.user_id}:{membership.entity_id}:{today:%Y%m%d}"
        written += len(write_staff(membership.user, Message.Kind.DIGEST, content, key=key))
    return written


def first_working_day_of_month(day: dt.date, calendar: WorkCalendar | None = None) -> bool:
    calendar = calendar or WorkCalendar()
    if not calendar.is_business_day(day):
        return False
    probe = day.replace(day=1)
    while probe < day:
        if calendar.is_business_day(probe):
            return False
        probe += timedelta(days=1)
    return True


def _call_dotted(path: str, *args):
    try:
        function = import_string(path)
    except ImportError:
        logger.warning("Job %s is not available in this installation; skipped.", path)
        return None
    return function(*args)


def monthly_publication(now=None):
    """Daily: on the first working day of a month (work calendar, holidays included), publish the
    month that ended through MONTHLY_PUBLICATION_JOB(year, month). That job must be idempotent too."""
    today = timezone.localtime(now or timezone.now()).date()
    if not first_working_day_of_month(today):
        return None
    last_month = today.replace(day=1) - timedelta(days=1)
    return _call_dotted(settings.MONTHLY_PUBLICATION_JOB, last_month.year, last_month.month)


def contact_retention(now=None):
    """Daily: erase expired contact data through CONTACT_RETENTION_JOB()."""
    return _call_dotted(settings.CONTACT_RETENTION_JOB)
