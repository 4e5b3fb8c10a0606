"""A worker of the production server killed (kill -9) in the middle of a burst of Open311 POSTs: every
acknowledged case is in the database, the server replaces the worker, only requests in flight fail,
and retrying every request with its Idempotency-Key (what docs/open311.md tells clients to do) never
creates a duplicate. Runs on the suite's database: SQLite in `make test`, PostgreSQL in
`make test-postgres`."""

from __future__ import annotations

import os
import signal
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

from cases.models import Case
from open311.models import ApiKey, Submission
from open311.tests.helpers import form
from ventanilla.tests.servers import serve

WORKERS = 3
BURST = 36
CONCURRENCY = 6


def worker_pids(master: int) -> set[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return {int(pid) for pid in children.read_text().split()} if children.exists() else set()


def wait_for_workers(master: int, count: int, timeout: float = 240.0) -> set[int]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        pids = worker_pids(master)
        if len(pids) >= count:
            return pids
        time.sleep(0.5)
    return worker_pids(master)


def test_killing_a_worker_mid_burst_loses_no_acknowledged_case_and_retries_never_duplicate(
    transactional_world, tmp_path
):
    world = transactional_world
    key, raw = ApiKey.issue("Ciudad App")
    env = {"WEB_CONCURRENCY": str(WORKERS), "OPEN311_POSTS_PER_MINUTE": "100000", "WORKER_TIMEOUT": "120"}

    with serve("gunicorn", tmp_path / "gunicorn.log", env=env) as server:
        master = server.process.pid
        before = wait_for_workers(master, WORKERS)
        assert len(before) == WORKERS, server.log_text()
        acknowledged: dict[str, str] = {}
        failed: list[str] = []
        done = threading.Semaphore(0)

        def submit(index: int) -> None:
            idempotency_key = f"burst-{index:03d}"
            data = form(world, api_key=raw, description=f"Sin agua en la casa número {index}.")
            try:
                response = requests.post(
                    f"{server.url}/open311/v2/requests.json",
                    data=data,
                    headers={"Idempotency-Key": idempotency_key},
                    timeout=60,
                )
                if response.status_code == 200:
                    acknowledged[idempotency_key] = response.json()[0]["service_request_id"]
                else:
                    failed.append(idempotency_key)
            except requests.RequestException:
                failed.append(idempotency_key)
            finally:
                done.release()

        def kill_one_worker() -> int:
            # After a few answers, with requests still in flight on every worker.
            for _ in range(BURST // 4):
                done.acquire()
            victim = sorted(worker_pids(master))[0]
            os.kill(victim, signal.SIGKILL)
            return victim

        with ThreadPoolExecutor(CONCURRENCY + 1) as pool:
            killer = pool.submit(kill_one_worker)
            list(pool.map(submit, range(BURST)))
            victim = killer.result()

        # The arbiter replaces the dead worker.
        after = wait_for_workers(master, WORKERS)
        assert victim not in after and len(after) == WORKERS, server.log_text()

        # Every acknowledged case is stored, with the number the client was given.
        stored = set(Case.objects.filter(number__in=acknowledged.values()).values_list("number", flat=True))
        assert stored == set(acknowledged.values())
        # Only requests in flight on the killed worker could fail.
        assert len(failed) <= CONCURRENCY, failed
        assert len(acknowledged) + len(failed) == BURST

        # The client's recovery: send every request again with the same Idempotency-Key.
        retried: dict[str, str] = {}
        for index in range(BURST):
            idempotency_key = f"burst-{index:03d}"
            data = form(world, api_key=raw, description=f"Sin agua en la casa número {index}.")
            response = requests.post(
                f"{server.url}/open311/v2/requests.json", data=data, headers={"Idempotency-Key": idempotency_key}, timeout=60
            )
            assert response.status_code == 200, response.text
            retried[idempotency_key] = response.json()[0]["service_request_id"]
            if idempotency_key in acknowledged:
                assert response.headers.get("Idempotent-Replayed") == "true"

    assert all(retried[k] == number for k, number in acknowledged.items())
    assert len(set(retried.values())) == BURST
    assert Submission.objects.filter(api_key=key).count() == BURST
    assert Case.objects.filter(category=world.water).count() == BURST
