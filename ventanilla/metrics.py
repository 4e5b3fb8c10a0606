"""Prometheus metrics through prometheus-client (docs/deploy.md): request latency by view, gauges other
apps register (the notifications outbox depth), and Celery task failures.

Other apps hook in with `register_gauge(name, documentation, fn)`, e.g. in their AppConfig.ready():

    register_gauge("ventanilla_outbox_pending", "Messages waiting in the outbox", lambda: Message.objects.pending().count())

`fn` runs when /metrics is scraped. Under gunicorn with several workers set PROMETHEUS_MULTIPROC_DIR (an
empty directory shared by the workers) so that every worker's counts are added up.
"""

from __future__ import annotations

import logging
import os
import time
from typing import Callable

from django.http import HttpRequest, HttpResponse
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily

logger = logging.getLogger("ventanilla.metrics")

REQUEST_LATENCY = Histogram(
    "ventanilla_request_seconds",
    "Time to answer an HTTP request, by view and method.",
    ["view", "method"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
REQUESTS = Counter("ventanilla_requests", "HTTP requests answered, by view and status class.", ["view", "status"])
TASK_FAILURES = Counter("ventanilla_celery_task_failures", "Celery tasks that raised, by task name.", ["task"])

_gauges: dict[str, tuple[str, Callable[[], float]]] = {}


def register_gauge(name: str, documentation: str, fn: Callable[[], float]) -> None:
    """Publish `fn()` as a gauge, read at each scrape. Registering a name again replaces it."""
    _gauges[name] = (documentation, fn)


def unregister_gauge(name: str) -> None:
    _gauges.pop(name, None)


class _RegisteredGauges:
    def collect(self):
        for name, (documentation, fn) in list(_gauges.items()):
            try:
                value = float(fn())
            except Exception as exc:  # a failing gauge must not break the whole scrape
                logger.warning("gauge %s failed: %s", name, exc)
                continue
            family = GaugeMetricFamily(name, documentation)
            family.add_metric([], value)
            yield family


_gauge_collector = _RegisteredGauges()


def _registry() -> CollectorRegistry:
    from prometheus_client import REGISTRY

    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        registry = CollectorRegistry()
        multiprocess.MultiProcessCollector(registry)
        registry.register(_gauge_collector)
        return registry
    if _gauge_collector not in getattr(REGISTRY, "_collector_to_names", {}):
        REGISTRY.register(_gauge_collector)
    return REGISTRY


def metrics_view(request: HttpRequest) -> HttpResponse:
    from django.conf import settings
    from django.utils.crypto import constant_time_compare

    if not settings.METRICS_ENABLED:
        return HttpResponse(status=404)
    if settings.METRICS_TOKEN:
        given = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        if not constant_time_compare(given, settings.METRICS_TOKEN):
            return HttpResponse(status=401, headers={"WWW-Authenticate": "Bearer"})
    return HttpResponse(generate_latest(_registry()), content_type=CONTENT_TYPE_LATEST)


class MetricsMiddleware:
    """Times every request and labels it with the view's URL name (never the path: paths carry case
    numbers and tracking tokens, which would also make the label set unbounded)."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        began = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        view = (match.view_name or match._func_path) if match else "unresolved"
        REQUEST_LATENCY.labels(view, request.method).observe(time.perf_counter() - began)
        REQUESTS.labels(view, f"{response.status_code // 100}xx").inc()
        return response


def count_task_failure(sender=None, **kwargs) -> None:
    TASK_FAILURES.labels(getattr(sender, "name", str(sender))).inc()


def connect_celery_signals() -> None:
    from celery.signals import task_failure

    task_failure.connect(count_task_failure, weak=False, dispatch_uid="ventanilla.metrics.task_failure")
