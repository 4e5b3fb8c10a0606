"""Operations endpoints: liveness without the database, readiness with it, Prometheus metrics, JSON logs."""

import json
import logging
import logging.config

import pytest
from django.db import connection

from ventanilla.metrics import register_gauge, unregister_gauge

REDIS_DB6 = "redis://127.0.0.1:6379/6"


def test_healthz_answers_without_touching_the_database(client):
    # No db fixture: pytest-django makes any database access in this test an error.
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_when_database_redis_and_migrations_are(client, db, settings):
    settings.REDIS_URL = REDIS_DB6
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "redis": "ok"}}


def test_readyz_without_redis_configured_checks_only_the_database(client, db, settings):
    settings.REDIS_URL = ""
    assert client.get("/readyz").json()["checks"] == {"database": "ok", "redis": "not configured"}


def test_readyz_is_unavailable_when_redis_does_not_answer(client, db, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/6"
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["database"] == "ok" and body["checks"]["redis"].startswith("failed")


def test_readyz_is_unavailable_while_a_migration_is_not_applied(client, db, settings):
    settings.REDIS_URL = ""
    from django.db.migrations.loader import MigrationLoader

    # The newest migration of an app (a leaf: Django plans from the leaves), as if a deploy forgot it.
    app, name = next(node for node in sorted(MigrationLoader(connection).graph.leaf_nodes()) if node[0] == "cases")
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    response = client.get("/readyz")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failed: 1 migrations not applied"


def metrics_text(client, **headers) -> str:
    response = client.get("/metrics", **headers)
    assert response.status_code == 200
    return response.content.decode()


def test_metrics_give_request_latency_by_view_name_not_path(client, world):
    client.get("/open311/v2/services.json")
    text = metrics_text(client)
    assert 'ventanilla_request_seconds_count{method="GET",view="open311:services"}' in text
    assert "services.json" not in text


def test_registered_gauges_are_read_at_each_scrape(client, db):
    depth = {"value": 3}
    register_gauge("ventanilla_test_outbox_depth", "Messages waiting (test).", lambda: depth["value"])
    try:
        assert "ventanilla_test_outbox_depth 3.0" in metrics_text(client)
        depth["value"] = 7
        assert "ventanilla_test_outbox_depth 7.0" in metrics_text(client)
    finally:
        unregister_gauge("ventanilla_test_outbox_depth")
    assert "ventanilla_test_outbox_depth" not in metrics_text(client)


def test_a_failing_gauge_does_not_break_the_scrape(client, db):
    register_gauge("ventanilla_test_broken", "Broken on purpose.", lambda: 1 / 0)
    try:
        text = metrics_text(client)
    finally:
        unregister_gauge("ventanilla_test_broken")
    assert "ventanilla_request_seconds" in text and "ventanilla_test_broken " not in text


def test_celery_task_failures_are_counted(client, db):
    from ventanilla.celery import app

    @app.task(name="ventanilla.tests.always_fails")
    def always_fails():
        raise ValueError("on purpose")

    before = _failures(metrics_text(client))
    always_fails.apply(throw=False)
    assert _failures(metrics_text(client)) == before + 1


def _failures(text: str) -> float:
    for line in text.splitlines():
        if line.startswith('ventanilla_celery_task_failures_total{task="ventanilla.tests.always_fails"}'):
            return float(line.split()[-1])
    return 0.0


def test_metrics_can_require_a_token(client, db, settings):
    settings.METRICS_TOKEN = "s3cret-scraper"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401
    assert metrics_text(client, HTTP_AUTHORIZATION="Bearer s3cret-scraper")


def test_json_logs_are_one_object_per_record(settings, capsys):
    from ventanilla.logformat import with_json_format

    logging.config.dictConfig(with_json_format(settings.LOGGING))
    try:
        logging.getLogger("ventanilla.test").warning("case %s routed", "2026-000001")
    finally:
        logging.config.dictConfig(settings.LOGGING)
    line = capsys.readouterr().err.strip().splitlines()[-1]
    record = json.loads(line)
    assert record["message"] == "case 2026-000001 routed"
    assert record["level"] == "WARNING" and record["logger"] == "ventanilla.test"


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_health_endpoints_refuse_writes(client, db, path):
    assert client.post(path).status_code == 405
