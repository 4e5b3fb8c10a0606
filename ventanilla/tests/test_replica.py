"""The read-replica router against a real streaming replica built for the test (initdb + pg_basebackup on
ports 5440/5441): replica reads while it is healthy, the primary when it lags or is down, said in the log."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]
PG_BIN = sorted(Path("/usr/lib/postgresql").glob("*/bin"))[-1]
PRIMARY_PORT, REPLICA_PORT = 5440, 5441
PRIMARY = f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/ventanilla"
REPLICA = f"postgres://postgres@127.0.0.1:{REPLICA_PORT}/ventanilla"
# One xdist worker runs this whole module (`--dist loadgroup`): its server starts once, not once per worker.
pytestmark = pytest.mark.xdist_group("replica_clusters")

READ = """
import json
from ventanilla.dbrouter import reading_database, replica_reads
from entities.models import Entity
with replica_reads():
    alias = reading_database()
    codes = sorted(Entity.objects.filter(code__in=["first", "second"]).values_list("code", flat=True))
print(json.dumps({"alias": alias, "codes": codes}))
"""
WRITE = """
import sys
from entities.models import Entity
Entity.objects.create(code=sys.argv[-1], name=sys.argv[-1], kind="other")
"""


def as_postgres(*command: str, **kwargs) -> subprocess.CompletedProcess:
    prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
    return subprocess.run([*prefix, *command], check=True, capture_output=True, text=True, **kwargs)


def start(data: Path, port: int) -> None:
    as_postgres(str(PG_BIN / "pg_ctl"), "-D", str(data), "-l", str(data.parent / f"{port}.log"), "-w", "-t", "120",
                "-o", f"-p {port} -k {data.parent} -c listen_addresses=127.0.0.1", "start")


def stop(data: Path) -> None:
    subprocess.run(["runuser", "-u", "postgres", "--", str(PG_BIN / "pg_ctl"), "-D", str(data), "-m", "fast", "-w",
                    "stop"], capture_output=True)


@pytest.fixture(scope="module")
def clusters():
    base = Path(tempfile.mkdtemp(prefix="ventanilla-replica-"))
    shutil.chown(base, "postgres")
    primary, replica = base / "primary", base / "replica"
    try:
        as_postgres(str(PG_BIN / "initdb"), "-D", str(primary), "-U", "postgres", "--auth=trust", "-E", "UTF8")
        with open(primary / "postgresql.conf", "a") as conf:
            conf.write("wal_level = replica\nmax_wal_senders = 4\nfsync = off\nshared_buffers = 16MB\n")
        start(primary, PRIMARY_PORT)
        with psycopg.connect(f"postgres://postgres@127.0.0.1:{PRIMARY_PORT}/postgres", autocommit=True) as conn:
            conn.execute("CREATE DATABASE ventanilla")
        env = ventanilla_env(PRIMARY, "")
        subprocess.run([str(ROOT / ".venv" / "bin" / "ventanilla"), "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        as_postgres(str(PG_BIN / "pg_basebackup"), "-h", "127.0.0.1", "-p", str(PRIMARY_PORT), "-U", "postgres",
                    # A fast checkpoint: the default spreads it over checkpoint_timeout (minutes).
                    "-D", str(replica), "-R", "-X", "stream", "--checkpoint=fast")
        start(replica, REPLICA_PORT)
        yield primary, replica
    finally:
        stop(replica)
        stop(primary)
        shutil.rmtree(base, ignore_errors=True)


def ventanilla_env(primary: str, replica: str, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in {"VENTANILLA_TESTING", "DEBUG"}}
    env.update(DATABASE_URL=primary, DATABASE_REPLICA_URL=replica, SECRET_KEY="replica-test", LOG_LEVEL="WARNING",
               REPLICA_CHECK_SECONDS="0", METRICS_ENABLED="0", **extra)
    return env


def shell(code: str, *args: str, **extra: str) -> tuple[dict | None, str]:
    script = code if not args else f"import sys; sys.argv += {list(args)!r}\n{code}"
    done = subprocess.run(
        [str(ROOT / ".venv" / "bin" / "ventanilla"), "shell", "-c", script],
        cwd=ROOT, env=ventanilla_env(PRIMARY, REPLICA, **extra), capture_output=True, text=True, check=True,
    )
    lines = [line for line in done.stdout.splitlines() if line.startswith("{")]
    return (json.loads(lines[-1]) if lines else None), done.stderr


def replica_has(code: str) -> bool:
    with psycopg.connect(REPLICA) as conn:
        return conn.execute("SELECT 1 FROM entities_entity WHERE code = %s", [code]).fetchone() is not None


def wait_for_replica(code: str) -> None:
    for _ in range(300):
        if replica_has(code):
            return
        time.sleep(0.1)
    raise AssertionError(f"the replica never received {code}")


FILE_CASE = """
import json, sys
from django.core.management import call_command
from cases.models import Category
from cases.services import create_case
from cases.validation import NewCase
from ventanilla.testing import SAN_MIGUELITO
if not Category.objects.exists():
    call_command("load_jurisdiction", verbosity=0)
case = create_case(NewCase(category_code="FUGA-AGUA", description="Fuga en la acera.", lat=SAN_MIGUELITO[0], lon=SAN_MIGUELITO[1]))
print(json.dumps({"number": case.number}))
"""
READ_FIGURES = """
import json, sys
from django.test import Client
from django.utils import timezone
number, now = sys.argv[-1], timezone.localtime()
client = Client()
export = client.get("/transparencia/datos/casos.csv", secure=True)
body = b"".join(export.streaming_content).decode()
month = client.get(f"/transparencia/{now.year:04d}/{now.month:02d}.json", secure=True).json()
print(json.dumps({"status": export.status_code, "exported": number in body, "received": month["national"]["received"]}))
"""


def test_open_data_is_read_from_the_replica_and_the_month_in_progress_from_the_primary(clusters):
    first, _log = shell(FILE_CASE)
    with psycopg.connect(PRIMARY) as conn:
        (code,) = conn.execute("SELECT code FROM entities_entity ORDER BY id DESC LIMIT 1").fetchone()
    wait_for_replica(code)  # the jurisdiction has reached the replica
    for _ in range(300):
        with psycopg.connect(REPLICA) as conn:
            if conn.execute("SELECT 1 FROM cases_case WHERE number = %s", [first["number"]]).fetchone():
                break
        time.sleep(0.1)
    read, _log = shell(READ_FIGURES, first["number"], ALLOWED_HOSTS="testserver")
    assert read == {"status": 200, "exported": True, "received": 1}

    # Replay paused: a case filed now is on the primary only. The export (from the replica, within the
    # allowed lag) does not have it yet; the provisional month, computed on the primary, counts it.
    with psycopg.connect(REPLICA, autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    try:
        second, _log = shell(FILE_CASE)
        read, _log = shell(READ_FIGURES, second["number"], ALLOWED_HOSTS="testserver", REPLICA_MAX_LAG_SECONDS="3600")
        assert read == {"status": 200, "exported": False, "received": 2}
    finally:
        with psycopg.connect(REPLICA, autocommit=True) as conn:
            conn.execute("SELECT pg_wal_replay_resume()")


def test_reads_come_from_the_replica_and_fall_back_when_it_lags_or_is_down(clusters):
    _primary, replica = clusters
    shell(WRITE, "first")
    wait_for_replica("first")
    read, _log = shell(READ)
    assert read == {"alias": "replica", "codes": ["first"]}

    # Lagging: replay paused, a new row committed on the primary, and more than the allowed lag passes.
    with psycopg.connect(REPLICA, autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_pause()")
    shell(WRITE, "second")
    time.sleep(2.5)
    assert not replica_has("second")
    read, log = shell(READ, REPLICA_MAX_LAG_SECONDS="1")
    assert read == {"alias": "default", "codes": ["first", "second"]}
    assert "read replica lags" in log

    # Caught up again: back to the replica.
    with psycopg.connect(REPLICA, autocommit=True) as conn:
        conn.execute("SELECT pg_wal_replay_resume()")
    wait_for_replica("second")
    read, _log = shell(READ, REPLICA_MAX_LAG_SECONDS="1")
    assert read["alias"] == "replica"

    # Down: the replica stopped, reads go to the primary and the log says so.
    stop(replica)
    read, log = shell(READ)
    assert read == {"alias": "default", "codes": ["first", "second"]}
    assert "read replica unavailable" in log


def test_writes_always_go_to_the_primary_even_inside_a_replica_block(clusters):
    code = """
import json
from ventanilla.dbrouter import replica_reads
from entities.models import Entity
with replica_reads():
    Entity.objects.create(code="third", name="third", kind="other")
print(json.dumps({"ok": True}))
"""
    result, _log = shell(code)
    assert result == {"ok": True}
    with psycopg.connect(PRIMARY) as conn:
        assert conn.execute("SELECT 1 FROM entities_entity WHERE code = 'third'").fetchone()
