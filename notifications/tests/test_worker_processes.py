"""Real worker processes against the test database: one killed with SIGKILL mid-send loses nothing
and sends nothing twice; the Celery worker runs the same job through Redis (DB 3)."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from notifications.models import Message
from notifications.testing import FakeGateway
from ventanilla.testing import new_case

pytestmark = pytest.mark.django_db(transaction=True)
VENTANILLA = Path(sys.executable).parent / "ventanilla"
CELERY = Path(sys.executable).parent / "celery"
REDIS_DB3 = "redis://127.0.0.1:6379/3"


def database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def worker_env(gateway: FakeGateway, **extra: str) -> dict:
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "VENTANILLA_TESTING": "1",
        "TEXT_GATEWAY_URL": gateway.url,
        "TEXT_GATEWAY_KEY": gateway.key,
        "TEXT_GATEWAY_BACKEND": "notifications.gateways.HttpGateway",
        "NOTIFICATIONS_LEASE_SECONDS": "3",
        "NOTIFICATIONS_POLL_SECONDS": "0.2",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
        "LOG_LEVEL": "WARNING",
    }
    env.update(extra)
    return env


def wait_for(condition, seconds: float = 60.0) -> bool:
    """Poll until `condition()` holds (a deadline to end a broken run, not a timing assertion)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def statuses() -> list[str]:
    return sorted(Message.objects.values_list("status", flat=True))


def test_a_worker_killed_mid_send_loses_nothing_and_sends_nothing_twice(transactional_world):
    cases = [new_case(transactional_world, contact_phone=f"6123-456{i}", notify_sms=True) for i in range(3)]
    assert Message.objects.count() == 3
    hold = threading.Event()
    with FakeGateway(key="kill-test-key", hold=hold) as gateway:
        first = subprocess.Popen(
            [str(VENTANILLA), "worker", "--outbox-only"], env=worker_env(gateway),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            # The gateway accepted the first message and holds its answer: the worker is mid-send.
            assert wait_for(lambda: len(gateway.deliveries) == 1)
            assert Message.objects.filter(status=Message.Status.SENDING).exists()
            first.send_signal(signal.SIGKILL)
            first.wait(30)
        finally:
            if first.poll() is None:
                first.kill()
        # The provider took one message but the worker died before recording it.
        assert Message.objects.filter(status=Message.Status.SENT).count() == 0
        gateway.hold = None
        hold.set()
        second = subprocess.Popen(
            [str(VENTANILLA), "worker", "--outbox-only"], env=worker_env(gateway),
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            # The second worker waits for the lease, then sends everything.
            assert wait_for(lambda: statuses() == ["sent"] * 3)
        finally:
            second.terminate()
            second.wait(30)
    keys = [str(m.uuid) for m in Message.objects.all()]
    # No loss: every message reached the provider. No double: one delivery per message, although the
    # first one was sent twice (the resend carried the same Idempotency-Key and was recognised).
    assert sorted(gateway.deliveries) == sorted(keys)
    assert len(gateway.requests) == 4
    assert sorted({r["key"] for r in gateway.requests}) == sorted(keys)
    assert {c.number for c in cases} == {re.search(r"\d{4}-\d{6}", d["text"]).group(0) for d in gateway.deliveries.values()}


def test_the_embedded_worker_stops_cleanly_on_sigterm(transactional_world):
    with FakeGateway(key="term-key") as gateway:
        process = subprocess.Popen(
            [str(VENTANILLA), "worker"], env=worker_env(gateway), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        new_case(transactional_world, contact_phone="6123-4567", notify_sms=True)
        assert wait_for(lambda: statuses() == ["sent"])
        process.send_signal(signal.SIGTERM)
        out, err = process.communicate(timeout=30)
    assert process.returncode == 0, err
    assert "drain_outbox" in out and "sla_sweep" in out


def redis_available() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_DB3, socket_connect_timeout=1).ping())
    except redis.exceptions.ConnectionError:
        return False


def test_a_celery_worker_runs_the_outbox_job_through_redis(transactional_world):
    assert redis_available(), "Redis must run on 127.0.0.1:6379 (.ci/run starts it)"
    from celery import Celery

    queue = f"ventanilla-test-{uuid.uuid4().hex[:8]}"
    with FakeGateway(key="celery-key") as gateway:
        env = worker_env(gateway, CELERY_BROKER_URL=REDIS_DB3)
        process = subprocess.Popen(
            [str(CELERY), "-A", "ventanilla", "worker", "--pool=solo", "--concurrency=1", "-Q", queue,
             "--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel=WARNING"],
            env=env, cwd=settings.BASE_DIR, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
        try:
            case = new_case(transactional_world, contact_phone="6123-4567", notify_sms=True)
            client = Celery(broker=REDIS_DB3)
            client.send_task("ventanilla.run_job", args=("drain_outbox",), queue=queue)
            assert wait_for(lambda: statuses() == ["sent"]), "the Celery worker did not send the message"
        finally:
            process.terminate()
            process.wait(30)
            import redis

            connection_ = redis.Redis.from_url(REDIS_DB3)
            for key in connection_.scan_iter(f"*{queue}*"):
                connection_.delete(key)
    [delivery] = gateway.deliveries.values()
    assert case.number in delivery["text"]
