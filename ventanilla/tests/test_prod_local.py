"""`make prod-local` for real: gunicorn with uvicorn workers, a Celery worker and beat, PostgreSQL and Redis
on this machine. A case is filed through Open311 and read back; the worker answers on the broker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
import requests

from ventanilla.tests.servers import unused_port

ROOT = Path(__file__).resolve().parents[2]
DATABASE = f"scale_prod_local_{os.getpid()}"
DATABASE_URL = f"postgres://postgres@127.0.0.1:5432/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/6"
# One worker runs this whole module (`--dist loadgroup`): the topology is started once, not once per worker.
pytestmark = pytest.mark.xdist_group("prod_local")


@dataclass(frozen=True)
class Topology:
    port: int

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in {"VENTANILLA_TESTING", "DEBUG", "DATABASE_URL"}}
        env.update(DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, PORT=str(self.port), WEB_CONCURRENCY="1",
                   OPEN311_POSTS_PER_MINUTE="1000", SECRET_KEY="prod-local-test-secret-key-not-for-production")
        return env


@pytest.fixture(scope="module")
def topology():
    # Chosen when the topology starts: a fixed port once let a second copy of this topology fail to bind
    # while the first copy answered its readiness check, then stopped under it.
    topology = Topology(port=unused_port())
    process = subprocess.Popen([sys.executable, str(ROOT / "deploy" / "prod_local.py")], cwd=ROOT, env=topology.env(),
                               start_new_session=True)
    try:
        deadline = time.time() + 600
        while True:
            assert process.poll() is None, f"prod-local stopped with exit {process.returncode}"
            try:
                if requests.get(f"{topology.base}/readyz", timeout=5).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.time() < deadline, "prod-local did not become ready"
            time.sleep(1)
        # Still running: the answer came from this topology, not from a server that held the port before it.
        time.sleep(1)
        assert process.poll() is None, f"prod-local stopped with exit {process.returncode}"
        yield topology
    finally:
        try:
            os.killpg(process.pid, signal.SIGTERM)
            process.wait(timeout=60)
        except ProcessLookupError:
            pass
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')


def api_key(topology: Topology) -> str:
    done = subprocess.run([str(ROOT / ".venv" / "bin" / "ventanilla"), "create_api_key", "prod-local test"], cwd=ROOT,
                          env=topology.env(), capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_case_filed_through_the_production_server_can_be_read_back(topology):
    from ventanilla.testing import SAN_MIGUELITO

    data = {
        "api_key": api_key(topology), "service_code": "FALTA-AGUA", "description": "Sin agua desde ayer en la calle 5.",
        "lat": SAN_MIGUELITO[0], "long": SAN_MIGUELITO[1], "email": "ana@example.invalid", "first_name": "Ana",
    }
    # Answer the service's required questions as a real client does, from its definition.
    definition = requests.get(f"{topology.base}/open311/v2/services/FALTA-AGUA.json", timeout=60).json()
    for attribute in definition["attributes"]:
        if attribute["required"]:
            values = attribute.get("values") or []
            data[f"attribute[{attribute['code']}]"] = values[0]["key"] if values else "1"
    response = requests.post(f"{topology.base}/open311/v2/requests.json", timeout=60, data=data)
    assert response.status_code == 200, response.text
    number = response.json()[0]["service_request_id"]
    read = requests.get(f"{topology.base}/open311/v2/requests/{number}.json", timeout=60)
    assert read.status_code == 200
    assert read.json()[0]["service_request_id"] == number
    assert read.json()[0]["service_code"] == "FALTA-AGUA"
    # Static files come from WhiteNoise under the production settings (hashed names, long cache).
    page = requests.get(f"{topology.base}/", timeout=60)
    assert page.status_code == 200
    assert "/static/" in page.text


def test_the_celery_worker_of_the_topology_answers(topology):
    from celery import Celery

    app = Celery(broker=REDIS_URL)
    replies = []
    for _ in range(30):
        replies = app.control.ping(timeout=2.0)
        if replies:
            break
    assert any(f"prod-local@{topology.port}" in reply for reply in replies), replies


def test_metrics_are_served_from_every_worker(topology):
    requests.get(f"{topology.base}/healthz", timeout=30)
    text = requests.get(f"{topology.base}/metrics", timeout=30).text
    assert 'ventanilla_request_seconds_count{method="GET",view="healthz"}' in text
