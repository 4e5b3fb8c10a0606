"""The Open311 key limit and the tracking look-up limit hold across server processes: two uvicorn
processes share one Redis (database 8, a key prefix of this test's own), and a client alternating
between them gets no more than the limit allows in total."""

from __future__ import annotations

import time
import uuid

import requests

from open311.models import ApiKey
from open311.tests.helpers import form
from ventanilla.tests.servers import free_port, serve

REDIS = "redis://127.0.0.1:6379/8"
LIMIT = 4


def two_servers(tmp_path, **env: str):
    """Both processes on one Redis with a prefix no other run uses; limits lowered to LIMIT."""
    # Jobs stay in-process (no broker): only the cache is under test.
    shared = {"REDIS_URL": REDIS, "CELERY_BROKER_URL": "", "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}", **env}
    first_port = free_port()
    first = serve("uvicorn", tmp_path / "a.log", port=first_port, env=shared)
    second = serve("uvicorn", tmp_path / "b.log", port=free_port({first_port}), env=shared)
    return first, second


def wait_for_a_fresh_minute() -> None:
    # The Open311 counter is per clock minute; a burst must not straddle two minutes, or it would see
    # two allowances. Starting at the top of a minute leaves a busy machine most of it for eight
    # requests. This waits for the minute, it asserts nothing about time.
    if time.time() % 60 > 3:
        time.sleep(60.5 - time.time() % 60)


def test_the_open311_key_limit_is_shared_by_two_processes(transactional_world, tmp_path):
    key, raw = ApiKey.issue("Ciudad App")
    first, second = two_servers(tmp_path, OPEN311_POSTS_PER_MINUTE=str(LIMIT))
    with first as a, second as b:
        wait_for_a_fresh_minute()
        statuses = []
        for attempt in range(LIMIT + 3):
            server = (a, b)[attempt % 2]
            data = form(transactional_world, api_key=raw, description=f"Sin agua, aviso {attempt}.")
            statuses.append(requests.post(f"{server.url}/open311/v2/requests.json", data=data, timeout=30).status_code)
        refused = requests.post(f"{b.url}/open311/v2/requests.xml", data=form(transactional_world, api_key=raw), timeout=30)

    assert statuses == [200] * LIMIT + [429] * 3
    assert refused.status_code == 429 and refused.headers["Retry-After"].isdigit()
    assert refused.content.startswith(b"<?xml") and b"<code>429</code>" in refused.content


def test_the_tracking_lookup_limit_is_shared_by_two_processes(transactional_world, tmp_path):
    first, second = two_servers(tmp_path, TRACKING_LOOKUP_FAILURES_PER_HOUR=str(LIMIT))
    with first as a, second as b:
        statuses = [
            requests.get(f"{(a, b)[attempt % 2].url}/seguimiento/guess{attempt:04d}xxxxxxxxxxxxxxxx/", timeout=30).status_code
            for attempt in range(LIMIT + 2)
        ]

    assert statuses == [404] * LIMIT + [429] * 2
