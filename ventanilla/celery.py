"""The Celery application (production: `celery -A ventanilla worker` and `celery -A ventanilla beat`).
Tasks are thin wrappers around the jobs of ventanilla/schedule.py, and beat's schedule is built from
the same list. Without a broker, `ventanilla worker` runs the same schedule in-process instead."""

import os

from celery import Celery
from celery.schedules import crontab

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")

app = Celery("ventanilla")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="ventanilla.run_job", ignore_result=True)
def run_job(name: str):
    """Run one job of the schedule by name; every beat entry calls this."""
    from .schedule import schedule

    job = next(job for job in schedule() if job.name == name)
    return job.run()


def beat_schedule() -> dict:
    from .schedule import schedule

    entries = {}
    for job in schedule():
        if job.every_seconds is not None:
            when = job.every_seconds
        else:
            hour, minute = job.daily_at
            when = crontab(hour=hour, minute=minute)
        entries[job.name] = {"task": "ventanilla.run_job", "schedule": when, "args": (job.name,)}
    return entries


@app.on_after_finalize.connect
def _install_schedule(sender, **kwargs) -> None:
    sender.conf.beat_schedule = beat_schedule()
# Task failures are counted for Prometheus (ventanilla/metrics.py).
from ventanilla.metrics import connect_celery_signals  # noqa: E402

connect_celery_signals()
