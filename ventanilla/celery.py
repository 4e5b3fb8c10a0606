"""The Celery application. Without a broker (the embedded default) tasks run eagerly in-process."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")

app = Celery("ventanilla")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Task failures are counted for Prometheus (ventanilla/metrics.py).
from ventanilla.metrics import connect_celery_signals  # noqa: E402

connect_celery_signals()
