"""Benchmark: the operations board's push. N boards connected over WebSocket; alerts posted through
Open311; how long until the alert is shown on the last board.

    .venv/bin/python bench/operations.py [--boards 100] [--alerts 30] [--rate 50] [--duration 60] [--port 8151]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ventanilla_bench_ops .venv/bin/python bench/operations.py

1. Latency: one alert at a time (--alerts of them); for each, the time from the POST being accepted (its
   response received) and from the POST being sent, to the moment the last of the boards received it.
   Target: p95 ≤ 500 ms from POST accepted to the last board.
2. Load: --rate alerts per second for --duration seconds from a pool of client threads; whether every
   board received every alert, and the same latencies.

The server is uvicorn (one process, the embedded set-up's in-memory channel layer; --redis uses the Redis
layer, DB 5) running `operations.live_asgi`. Clients, server and database share this machine's CPUs:
the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import secrets
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
if __name__ == "__main__":
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(ROOT))

POINTS = [(9.0430, -79.5070), (8.9824, -79.5199), (8.4273, -82.4308)]


def prepare(database_url: str) -> tuple[str, str]:
    """A fresh database with the test world, an Open311 key and an operator's session."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    os.environ["DEBUG"] = "1"
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.core.management import call_command

    from open311.models import ApiKey
    from ventanilla.testing import build_world

    call_command("flush", interactive=False, verbosity=0) if _has_tables() else None
    call_command("migrate", verbosity=0)
    world = build_world()
    world.sinaproc.is_operations_center = True
    world.sinaproc.save()
    session = SessionStore()
    session[SESSION_KEY] = str(world.operator.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = world.operator.get_session_auth_hash()
    session.create()
    return ApiKey.issue("bench")[1], session.session_key


def _has_tables() -> bool:
    from django.db import connection

    try:
        return "cases_case" in connection.introspection.table_names()
    except Exception:
        return False


def start_server(port: int, database_url: str, redis: bool, workers: int = 1, pubsub: bool = False,
                 pool: int = 0) -> subprocess.Popen:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DEBUG": "0",
        # Plain http on the loopback, as the demo serves (production's HTTPS=1 would redirect every request).
        "HTTPS": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "REDIS_URL": "redis://127.0.0.1:6379/5" if redis else "",
        "CHANNEL_LAYER": "redis-pubsub" if pubsub else "redis",
        "CELERY_BROKER_URL": "",
        "OPEN311_POSTS_PER_MINUTE": "1000000",
        "LOG_LEVEL": "WARNING",
        # Under ASGI each request has a thread of its own: persistent connections would leak (docs/deploy.md).
        "DB_CONN_MAX_AGE": "0",
        "DB_POOL_MAX_SIZE": str(pool),
    }
    if workers > 1:
        # The production server (deploy/gunicorn.conf.py): several uvicorn worker processes, which share
        # the boards' pushes through the Redis channel layer.
        env.update(HOST="127.0.0.1", PORT=str(port), WEB_CONCURRENCY=str(workers), WEB_ACCESS_LOG="",
                   WEB_MAX_REQUESTS="0")
        command = [str(Path(sys.executable).parent / "gunicorn"), "-c", str(ROOT / "deploy" / "gunicorn.conf.py")]
    else:
        command = [sys.executable, "-m", "uvicorn", "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
                   "--log-level", "warning", "--ws", "websockets-sansio", "operations.live_asgi:application"]
    process = subprocess.Popen(command, cwd=ROOT, env=env)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2):
                return process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise SystemExit("the server did not start")


class Boards:
    """N WebSocket clients; `seen[number]` = arrival times (perf_counter) of the alert's "created" event."""

    def __init__(self, port: int, session: str, count: int) -> None:
        self.url = f"ws://127.0.0.1:{port}/ws/operaciones/"
        self.origin = f"http://127.0.0.1:{port}"
        self.cookie = f"sessionid={session}"
        self.count = count
        self.seen: dict[str, list[float]] = {}
        self.lock = threading.Lock()
        self.ready = threading.Event()
        self.stop = threading.Event()
        self.connected = 0

    async def _board(self) -> None:
        import websockets

        async with websockets.connect(self.url, origin=self.origin, additional_headers={"Cookie": self.cookie}, max_queue=None) as ws:
            with self.lock:
                self.connected += 1
                if self.connected == self.count:
                    self.ready.set()
            while not self.stop.is_set():
                try:
                    raw = await asyncio.wait_for(ws.recv(), timeout=0.5)
                except asyncio.TimeoutError:
                    continue
                now = time.perf_counter()
                message = json.loads(raw)
                if message.get("kind") == "created":
                    with self.lock:
                        self.seen.setdefault(message["number"], []).append(now)

    async def _all(self) -> None:
        await asyncio.gather(*(self._board() for _ in range(self.count)))

    def run(self) -> threading.Thread:
        thread = threading.Thread(target=lambda: asyncio.run(self._all()), daemon=True)
        thread.start()
        if not self.ready.wait(120):
            raise SystemExit(f"only {self.connected} boards connected")
        return thread


def post_alert(port: int, key: str, index: int) -> tuple[str, float, float]:
    lat, lon = POINTS[index % len(POINTS)]
    data = urllib.parse.urlencode(
        {"api_key": key, "service_code": "INUNDACION", "lat": lat, "long": lon, "description": f"Alerta de prueba {index}"}
    ).encode()
    sent = time.perf_counter()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/open311/v2/requests.json", data=data, timeout=60) as response:
        number = json.loads(response.read())[0]["service_request_id"]
    return number, sent, time.perf_counter()


def wait_for(boards: Boards, numbers: list[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with boards.lock:
            if all(len(boards.seen.get(n, [])) >= boards.count for n in numbers):
                return
        time.sleep(0.01)


def latencies(boards: Boards, posts: list[tuple[str, float, float]]) -> tuple[list[float], list[float], int]:
    from_accepted, from_sent, incomplete = [], [], 0
    with boards.lock:
        for number, sent, accepted in posts:
            arrivals = boards.seen.get(number, [])
            if len(arrivals) < boards.count:
                incomplete += 1
                continue
            last = max(arrivals)
            from_accepted.append(max(0.0, last - accepted) * 1000)
            from_sent.append((last - sent) * 1000)
    return from_accepted, from_sent, incomplete


def p(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def report(title: str, values: list[float]) -> None:
    print(f"  {title}: p50 {p(values, .5):7.1f} ms   p95 {p(values, .95):7.1f} ms   max {max(values, default=float('nan')):7.1f} ms")


def tree_cpu_seconds(pid: int) -> float:
    """CPU time (user + system) of a process and all its descendants, from /proc: on a shared machine
    the wall clock measures the neighbours too, CPU time per alert does not."""
    total, pending = 0.0, [pid]
    while pending:
        current = pending.pop()
        try:
            fields = Path(f"/proc/{current}/stat").read_text().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
            for task in Path(f"/proc/{current}/task").iterdir():
                pending.extend(int(child) for child in (task / "children").read_text().split())
        except (FileNotFoundError, ProcessLookupError):
            continue
    return total


def load_average() -> str:
    return "load average " + ", ".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--boards", type=int, default=100)
    parser.add_argument("--alerts", type=int, default=30)
    parser.add_argument("--rate", type=float, default=50)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--port", type=int, default=8151)
    parser.add_argument("--redis", action="store_true")
    parser.add_argument("--workers", type=int, default=1, help="more than 1: gunicorn with uvicorn workers, Redis layer")
    parser.add_argument("--pubsub", action="store_true", help="the Redis pub/sub channel layer (CHANNEL_LAYER=redis-pubsub, the default)")
    parser.add_argument("--pool", type=int, default=0, help="a database connection pool of this size per process (DB_POOL_MAX_SIZE)")
    args = parser.parse_args()
    args.redis = args.redis or args.pubsub or args.workers > 1
    # The session made here must be valid for the server: one secret for both.
    os.environ["SECRET_KEY"] = secrets.token_urlsafe(40)
    database_url = os.environ.get("DATABASE_URL") or f"sqlite:///{ROOT / 'var' / 'bench-operations.sqlite3'}"
    key, session = prepare(database_url)
    server = start_server(args.port, database_url, args.redis, args.workers, args.pubsub, args.pool)
    try:
        boards = Boards(args.port, session, args.boards)
        listener = boards.run()
        server_kind = f"gunicorn, {args.workers} uvicorn workers" if args.workers > 1 else "uvicorn, one process"
        layer = ("Redis pub/sub" if args.pubsub else "Redis") if args.redis else "in-memory"
        pool = f", a pool of {args.pool} connections per process" if args.pool else ", a connection per request"
        print(f"{args.boards} boards connected to {server_kind} ({layer} channel layer{pool}); {socket.gethostname()}, "
              f"{os.cpu_count()} CPUs, {load_average()}")

        posts = []
        for index in range(args.alerts):
            posts.append(post_alert(args.port, key, index))
            wait_for(boards, [posts[-1][0]])
        accepted, sent, incomplete = latencies(boards, posts)
        print(f"1. one alert at a time, {args.alerts} alerts, each to {args.boards} boards ({incomplete} not on every board); {load_average()}")
        report("POST accepted -> last board", accepted)
        report("POST sent     -> last board", sent)

        total = int(args.rate * args.duration)
        interval = 1 / args.rate
        server_cpu, bench_cpu = tree_cpu_seconds(server.pid), time.process_time()
        started = time.perf_counter()
        results: list = []
        with ThreadPoolExecutor(args.threads) as pool:
            futures = []
            for index in range(total):
                delay = started + index * interval - time.perf_counter()
                if delay > 0:
                    time.sleep(delay)
                futures.append(pool.submit(post_alert, args.port, key, 1000 + index))
            for future in futures:
                try:
                    results.append(future.result())
                except Exception as error:  # a refused or timed-out POST is counted, not fatal
                    results.append(error)
        elapsed = time.perf_counter() - started
        ok = [r for r in results if isinstance(r, tuple)]
        wait_for(boards, [r[0] for r in ok], timeout=120)
        server_cpu, bench_cpu = tree_cpu_seconds(server.pid) - server_cpu, time.process_time() - bench_cpu
        accepted, sent, incomplete = latencies(boards, ok)
        print(
            f"2. {total} alerts offered at {args.rate:g}/s: {len(ok)} accepted in {elapsed:.1f} s ({len(ok) / elapsed:.1f}/s), "
            f"{len(results) - len(ok)} failed, {incomplete} not on every board; {load_average()}"
        )
        report("POST accepted -> last board", accepted)
        report("POST sent     -> last board", sent)
        if ok:
            print(f"  CPU per alert: web server {server_cpu * 1000 / len(ok):.1f} ms (all its processes), "
                  f"this benchmark's boards and clients {bench_cpu * 1000 / len(ok):.1f} ms")
        boards.stop.set()
        listener.join(timeout=10)
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
