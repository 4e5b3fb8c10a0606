"""A live ASGI server (daphne, in a subprocess) against the test database, for the browser tests that
need WebSockets. Everything that should reach the boards goes to it over HTTP: its channel layer is its
own (in memory), as in the embedded set-up."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

from django.db import connection

PORTS = range(8150, 8160)  # this helper's port range on the shared machine
ROOT = Path(__file__).resolve().parents[2]


def listening_socket() -> socket.socket:
    """A socket bound and listening on a free port of the range, handed to daphne as it is: no other run
    can take the port between our choice and daphne's start (parallel workers do pick ports at once)."""
    for port in PORTS:
        sock = socket.socket()
        try:
            sock.bind(("127.0.0.1", port))
        except OSError:
            sock.close()
            continue
        sock.listen(128)
        return sock
    raise RuntimeError("no free port in 8150-8159")


def database_url() -> str:
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT'] or 5432}/{settings['NAME']}"


class LiveAsgiServer:
    def __init__(self) -> None:
        self.socket = listening_socket()
        self.port = self.socket.getsockname()[1]
        self.url = f"http://localhost:{self.port}"
        env = {
            **os.environ,
            "DATABASE_URL": database_url(),
            "VENTANILLA_TESTING": "1",
            "REDIS_URL": "",
            "CELERY_BROKER_URL": "",
            "DJANGO_SETTINGS_MODULE": "ventanilla.settings",
        }
        self.log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "daphne", "--fd", str(self.socket.fileno()), "operations.live_asgi:application"],
            pass_fds=[self.socket.fileno()],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=self.log,
        )
        self._wait()

    def _wait(self) -> None:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                self.log.seek(0)
                raise RuntimeError(f"daphne exited: {self.log.read().decode()[-2000:]}")
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/healthz", timeout=2) as response:
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.3)
        self.stop()
        raise RuntimeError("daphne did not start in time")

    def output(self) -> str:
        """What the server wrote to stderr so far (for a failing test's report)."""
        self.log.seek(0)
        return self.log.read().decode(errors="replace")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
        self.log.close()
        self.socket.close()
