"""Real server processes (uvicorn, gunicorn) serving the test database, for tests that need what only a
server does: its access log, several processes sharing Redis, a worker killed mid-burst.

Ports come from 8180–8189 (this suite's range on the shared machine); a port in use is skipped.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import connection

PORTS = range(8180, 8190)


def worker_ports() -> range:
    """This xdist worker's share of PORTS: two workers probing the same free port at once would start
    two servers on it, and one test would talk to the other's server."""
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    count = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)
    index = int(worker) if worker.isdigit() else 0
    share = max(len(PORTS) // max(count, 1), 3)
    start = PORTS.start + (index * share) % len(PORTS)
    return range(start, min(start + share, PORTS.stop))
BIN = Path(sys.executable).parent
START_TIMEOUT = 60.0


def database_url() -> str:
    """The URL of the database this test runs on (the test database, not the configured one)."""
    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or "postgres"
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{user}{password}@{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


def free_port(taken: set[int] = frozenset()) -> int:
    for port in worker_ports():
        if port in taken:
            continue
        with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError("No free port in 8180-8189")


def unused_port() -> int:
    """A port nobody listens on now, chosen by the system, for a server a test starts once (under
    `--dist loadgroup`, so no other worker starts the same one)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def server_env(**extra: str) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in ("REDIS_URL", "DEBUG", "DATABASE_URL")}
    env.update(
        VENTANILLA_TESTING="1",
        DATABASE_URL=database_url(),
        MEDIA_ROOT=str(settings.MEDIA_ROOT),
        PYTHONUNBUFFERED="1",
        LOG_LEVEL="INFO",
    )
    env.update(extra)
    return env


@dataclass
class Server:
    process: subprocess.Popen
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.process.poll() is not None:
            raise RuntimeError(f"server exited early:\n{server.log_text()}")
        try:
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as response:  # noqa: S310 - our own server
                if response.status == 200:
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.3)
    raise RuntimeError(f"server did not start:\n{server.log_text()}")


@contextlib.contextmanager
def serve(kind: str, log: Path, *, port: int | None = None, env: dict[str, str] | None = None,
          args: tuple[str, ...] = ()) -> Iterator[Server]:
    """Start `uvicorn` (with the redacting log config) or `gunicorn` (with ventanilla/gunicorn.conf.py)."""
    port = port or free_port()
    root = Path(settings.BASE_DIR)
    if kind == "uvicorn":
        command = [
            str(BIN / "uvicorn"), "ventanilla.asgi:application", "--host", "127.0.0.1", "--port", str(port),
            "--log-config", str(root / "ventanilla" / "serverlog-uvicorn.json"), "--no-server-header", *args,
        ]
    elif kind == "gunicorn":
        command = [str(BIN / "gunicorn"), "-c", str(root / "ventanilla" / "gunicorn.conf.py"),
                   "--bind", f"127.0.0.1:{port}", *args, "ventanilla.asgi:application"]
    else:
        raise ValueError(kind)
    handle = log.open("wb")
    process = subprocess.Popen(  # noqa: S603 - fixed argv, our own executables
        command, cwd=root, env=server_env(**(env or {})), stdout=handle, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = Server(process, port, log)
    try:
        wait_until_up(server)
        yield server
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        handle.close()
