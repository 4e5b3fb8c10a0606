"""The one schedule of periodic jobs, read by Celery beat (ventanilla/celery.py) and by the embedded
`ventanilla worker` alike, in the jurisdiction's TIME_ZONE. Each job is a plain idempotent function."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    name: str
    function: str  # dotted path of a plain function taking no arguments
    every_seconds: float | None = None  # an interval job, or
    daily_at: tuple[int, int] | None = None  # a daily job at (hour, minute) local time

    def run(self):
        return import_string(self.function)()


def schedule() -> list[Job]:
    hour = settings.DAILY_JOBS_HOUR
    return [
        Job("drain_outbox", "notifications.jobs.drain_outbox", every_seconds=settings.NOTIFICATIONS_POLL_SECONDS),
        Job("sla_sweep", "notifications.jobs.sla_sweep", every_seconds=15 * 60),
        Job("auto_close_resolved", "notifications.jobs.auto_close_resolved", every_seconds=60 * 60),
        Job("survey_reminders", "notifications.jobs.survey_reminders", every_seconds=60 * 60),
        Job("supervisor_digest", "notifications.jobs.supervisor_digest", daily_at=(hour, 0)),
        Job("monthly_publication", "notifications.jobs.monthly_publication", daily_at=(hour, 30)),
        Job("contact_retention", "notifications.jobs.contact_retention", daily_at=(3, 0)),
        # Operations board: unacknowledged or unanswered alerts turn red and reach the shift supervisor.
        Job("escalate_alerts", "operations.jobs.escalate_overdue_alerts", every_seconds=settings.OPERATIONS_ESCALATION_POLL_SECONDS),
    ]


class EmbeddedScheduler:
    """Which jobs are due, for the embedded worker. Interval jobs run at start and then every interval;
    a daily job runs once a local day, at or after its time (a worker started later that day runs it
    at once: the jobs are idempotent, so a restart repeats nothing)."""

    def __init__(self, jobs: list[Job] | None = None) -> None:
        self.jobs = jobs if jobs is not None else schedule()
        self.last_run: dict[str, dt.datetime] = {}

    def due(self, now: dt.datetime | None = None) -> list[Job]:
        now = now or timezone.now()
        local = timezone.localtime(now)
        due = []
        for job in self.jobs:
            last = self.last_run.get(job.name)
            if job.every_seconds is not None:
                if last is None or (now - last).total_seconds() >= job.every_seconds:
                    due.append(job)
            elif job.daily_at is not None:
                at = local.replace(hour=job.daily_at[0], minute=job.daily_at[1], second=0, microsecond=0)
                ran_today = last is not None and timezone.localtime(last).date() == local.date()
                if local >= at and not ran_today:
                    due.append(job)
        return due

    def mark(self, job: Job, now: dt.datetime | None = None) -> None:
        self.last_run[job.name] = now or timezone.now()
