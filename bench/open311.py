"""Benchmark: Open311 served by a real server on PostgreSQL, next to a bare Django view on the same machine.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h5 .venv/bin/python bench/open311.py \
        [--cases 1000000] [--concurrency 8] [--posts 2000] [--gets 2000] [--server gunicorn|uvicorn] [--workers N]

DATABASE_URL defaults to postgres://postgres@127.0.0.1:5432/ventanilla_bench; the database is created if
missing, migrated, given the jurisdiction's data, and filled up to --cases with `generate_cases`.
The app then runs under gunicorn (WSGI, persistent connections) or uvicorn (ASGI) with the production
settings (DEBUG off), and client threads, each with its own HTTP connection, send:

- bare view: a Django view in this file doing one INSERT and one indexed SELECT — the floor under any
  write on this machine, through the same middleware, server and database;
- POST requests.json: a new case (validation, geolocation, routing, numbering, events, contact, submission);
- GET requests.json filtered to one service and status, one page of 50; GET requests.json with no
  arguments (the spec's default: the last 90 days, up to 1,000 requests); GET requests/{id}.json.

Figures are printed (throughput, p50 and p99 latency); they are not a gate. On a small shared machine the
client, the server and PostgreSQL compete for the same CPUs: compare rows with each other, not with
other machines.
"""

from __future__ import annotations

import argparse
import itertools
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Callable
from urllib.parse import urlsplit, urlunsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ventanilla_bench"
BARE_TABLE = "bench_bare_write"

if __name__ == "__main__":
    # Run as a script, Python puts bench/ first on the path, where this file would shadow the open311 app.
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(ROOT))


# --- Server side: imported by gunicorn/uvicorn as `bench.open311` ------------------------------------


def bare_view(request):
    """One INSERT and one indexed SELECT, nothing else: what any write costs here before our code runs."""
    from django.db import connection
    from django.http import JsonResponse

    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (payload, created_at) VALUES (%s, now())", [request.POST.get("description", "")]
        )
        cursor.execute("SELECT id, state FROM cases_case WHERE number = %s", [request.POST.get("number", "")])
        row = cursor.fetchone()
    return JsonResponse({"found": row is not None})


def _use_bench_urls() -> None:
    """The project's URLs plus the bare view, without adding the bare view to the app."""
    global urlpatterns
    from django.conf import settings
    from django.urls import path
    from django.views.decorators.csrf import csrf_exempt

    import ventanilla.urls

    urlpatterns = [path("bench/bare", csrf_exempt(bare_view)), *ventanilla.urls.urlpatterns]
    settings.ROOT_URLCONF = __name__


def wsgi_application():
    """gunicorn 'bench.open311:wsgi_application()'"""
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    _use_bench_urls()
    return application


def asgi_application():
    """uvicorn --factory bench.open311:asgi_application"""
    from django.core.asgi import get_asgi_application

    application = get_asgi_application()
    _use_bench_urls()
    return application


# --- Client side -------------------------------------------------------------------------------------


@dataclass
class Result:
    name: str
    concurrency: int
    latencies: list[float] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    def percentile(self, p: float) -> float:
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))] * 1000

    @property
    def throughput(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def row(self) -> str:
        done = len(self.latencies)
        failed = sum(self.failures.values())
        rate = done / self.seconds if self.seconds else 0.0
        return (
            f"{self.name:<52} {self.concurrency:>3} {done:>7,} {rate:>9,.1f} {self.percentile(50):>8.1f}"
            f" {self.percentile(99):>8.1f} {statistics.fmean(self.latencies) * 1000 if self.latencies else 0:>8.1f}"
            f" {failed:>6}"
        )


def run_phase(name: str, total: int, concurrency: int, send: Callable) -> Result:
    """`total` calls of send(session, i) spread over `concurrency` threads, each with its own connection."""
    import requests

    result = Result(name, concurrency)
    counter = itertools.count()
    lock = threading.Lock()
    start_together = threading.Barrier(concurrency + 1)

    def worker() -> None:
        session = requests.Session()
        mine: list[float] = []
        start_together.wait()
        while (i := next(counter)) < total:
            began = time.perf_counter()
            try:
                response = send(session, i)
                ok = response.status_code == 200
                problem = f"HTTP {response.status_code}" if not ok else ""
            except requests.RequestException as error:
                ok, problem = False, type(error).__name__
            elapsed = time.perf_counter() - began
            if ok:
                mine.append(elapsed)
            else:
                with lock:
                    result.failures[problem] = result.failures.get(problem, 0) + 1
        with lock:
            result.latencies.extend(mine)

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    start_together.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    result.seconds = time.perf_counter() - began
    if result.failures:
        print(f"  {name}: failures {result.failures}", file=sys.stderr)
    return result


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def fill_cases(count: int) -> None:
    """Top the database up to `count` cases with the project's generator (its command if present)."""
    from django.core.management import call_command, get_commands

    from cases.models import Case

    missing = count - Case.objects.count()
    if missing <= 0:
        return
    print(f"generating {missing:,} cases…", flush=True)
    began = time.perf_counter()
    if "generate_cases" in get_commands():
        call_command("generate_cases", count=missing, verbosity=0)
    else:
        from demodata.store import generate_cases

        generate_cases(missing)
    print(f"  done in {time.perf_counter() - began:.0f} s", flush=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", int(os.environ.get("BENCH_PORT", "0"))))
        return s.getsockname()[1]


def start_server(kind: str, workers: int, port: int, env: dict[str, str]) -> subprocess.Popen:
    bin_dir = Path(sys.executable).parent
    if kind == "gunicorn":
        command = [
            str(bin_dir / "gunicorn"), "bench.open311:wsgi_application()", "--chdir", str(ROOT),
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--log-level", "warning",
        ]
    else:
        command = [
            str(bin_dir / "uvicorn"), "--factory", "bench.open311:asgi_application", "--app-dir", str(ROOT),
            "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers), "--log-level", "warning",
            "--no-access-log",
        ]
    return subprocess.Popen(command, cwd=ROOT, env=env)


def wait_until_up(base: str, server: subprocess.Popen) -> None:
    import requests

    deadline = time.time() + 60
    while time.time() < deadline:
        if server.poll() is not None:
            sys.exit(f"the server stopped (exit {server.returncode})")
        try:
            if requests.get(f"{base}/healthz", timeout=2).status_code == 200:
                return
        except requests.RequestException:
            pass
        time.sleep(0.3)
    sys.exit("the server did not start within 60 s")


def post_payloads(base: str, raw_key: str) -> list[dict]:
    """What a real client sends: it reads services and definitions first, then answers required questions."""
    import requests

    from ventanilla.testing import DAVID, PANAMA_CITY, SAN_MIGUELITO

    services = requests.get(f"{base}/open311/v2/services.json", timeout=30).json()
    payloads = []
    for service in services:
        data = {"api_key": raw_key, "service_code": service["service_code"], "first_name": "Ana", "last_name": "Pérez",
                "email": "ana@example.com", "description": "Banco de pruebas: reporte de ejemplo con algo de texto."}
        if service["metadata"]:
            definition = requests.get(f"{base}/open311/v2/services/{service['service_code']}.json", timeout=30).json()
            for attribute in definition["attributes"]:
                if not attribute["required"]:
                    continue
                key = f"attribute[{attribute['code']}]"
                data[key] = {
                    "singlevaluelist": lambda a: a["values"][0]["key"],
                    "multivaluelist": lambda a: a["values"][0]["key"],
                    "number": lambda a: "1",
                    "datetime": lambda a: "2026-03-01T10:00:00-05:00",
                }.get(attribute["datatype"], lambda a: "texto")(attribute)
        for lat, lon in (SAN_MIGUELITO, DAVID, PANAMA_CITY):
            payloads.append(dict(data, lat=str(lat), long=str(lon)))
    return payloads


def queries_per_post(raw_key: str) -> int:
    """The statements one Open311 POST runs, through Django's test client in this process (rolled back)."""
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from ventanilla.testing import SAN_MIGUELITO

    from cases.models import Category

    client = Client()
    # A service without questions, in a district (the questions would add no statements).
    code = Category.objects.listed().filter(attributes__isnull=True, urgent=False).values_list("code", flat=True).first()
    data = {"api_key": raw_key, "service_code": code, "lat": SAN_MIGUELITO[0], "long": SAN_MIGUELITO[1],
            "description": "Banco de pruebas: reporte de ejemplo con algo de texto.", "email": "ana@example.com"}
    with override_settings(ALLOWED_HOSTS=["testserver"]), transaction.atomic():
        client.post("/open311/v2/requests.json", data, secure=True)  # first request: caches filled
        with CaptureQueriesContext(connection) as captured:
            response = client.post("/open311/v2/requests.json", data, secure=True)
        transaction.set_rollback(True)
    if response.status_code != 200:
        return -1
    # Savepoints are Django's own bookkeeping, not work: counted apart from the statements.
    return sum(1 for q in captured.captured_queries if not q["sql"].startswith(("SAVEPOINT", "RELEASE SAVEPOINT")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", "1000000")))
    parser.add_argument("--concurrency", type=int, default=8)
    parser.add_argument("--posts", type=int, default=2000)
    parser.add_argument("--gets", type=int, default=2000)
    parser.add_argument("--server", choices=["gunicorn", "uvicorn"], default="gunicorn")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count
    from django.utils import timezone

    from cases.models import Case, Category
    from open311.models import ApiKey

    call_command("migrate", verbosity=0)
    if not Category.objects.exists():
        call_command("load_jurisdiction", verbosity=0)
    fill_cases(args.cases)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {BARE_TABLE} (id bigserial PRIMARY KEY, payload text, created_at timestamptz)"
        )
        cursor.execute("ANALYZE")
    _key, raw_key = ApiKey.issue("bench/open311.py")
    case_count = Case.objects.count()
    top_id = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    sample_ids = random.sample(range(1, top_id + 1), min(top_id, 5000))
    numbers = list(Case.objects.public().filter(pk__in=sample_ids).values_list("number", flat=True)[:1000])
    # The service with the most open cases in the default window: the heaviest realistic filter.
    busiest = (
        Case.objects.public()
        .open()
        .filter(created_at__gte=timezone.now() - timedelta(days=90))
        .values("category__code")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("category__code", flat=True)
        .first()
    ) or Category.objects.listed().values_list("code", flat=True).first()
    connection.close()

    queries = queries_per_post(raw_key)
    connection.close()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = dict(
        os.environ,
        ALLOWED_HOSTS="127.0.0.1",
        # gunicorn's sync workers keep one connection each; under ASGI each request runs in its own
        # thread, where a kept connection would leak, so uvicorn gets one connection per request.
        DB_CONN_MAX_AGE="600" if args.server == "gunicorn" else "0",
        OPEN311_POSTS_PER_MINUTE=str(10**9),
        # Plain http on the loopback: production's HTTPS=1 would redirect every request to https.
        HTTPS="0",
        SECURE_COOKIES="0",
        LOG_LEVEL="ERROR",
        MEDIA_ROOT=str(ROOT / "var" / "bench-media"),
    )
    env.pop("DEBUG", None)
    load_at_start = os.getloadavg()
    server = start_server(args.server, args.workers, port, env)
    try:
        wait_until_up(base, server)
        payloads = post_payloads(base, raw_key)
        c, api = args.concurrency, f"{base}/open311/v2"
        warm = run_phase("warm-up", 200, c, lambda s, i: s.get(f"{api}/requests/{numbers[i % len(numbers)]}.json"))
        del warm
        results = [
            run_phase("bare view: 1 INSERT + 1 indexed SELECT", args.posts, c,
                      lambda s, i: s.post(f"{base}/bench/bare", data={"description": payloads[0]["description"],
                                                                     "number": numbers[i % len(numbers)]})),
            run_phase("POST requests.json (new case)", args.posts, c,
                      lambda s, i: s.post(f"{api}/requests.json", data=payloads[i % len(payloads)])),
            run_phase("POST requests.json, one client", max(args.posts // 4, 50), 1,
                      lambda s, i: s.post(f"{api}/requests.json", data=payloads[i % len(payloads)])),
            run_phase(f"GET requests.json {busiest} open, 50/page", args.gets, c,
                      lambda s, i: s.get(f"{api}/requests.json", params={
                          "service_code": busiest, "status": "open", "page_size": 50, "page": 1 + i % 5})),
            run_phase("GET requests.json (default: 90 days, 1000)", max(args.gets // 10, 20), c,
                      lambda s, i: s.get(f"{api}/requests.json")),
            run_phase("GET requests/{id}.json", args.gets, c,
                      lambda s, i: s.get(f"{api}/requests/{numbers[i % len(numbers)]}.json")),
            run_phase("GET requests/{id}.json, one client", args.gets // 4, 1,
                      lambda s, i: s.get(f"{api}/requests/{numbers[i % len(numbers)]}.json")),
            run_phase("GET requests.json filtered, one client", args.gets // 4, 1,
                      lambda s, i: s.get(f"{api}/requests.json", params={
                          "service_code": busiest, "status": "open", "page_size": 50, "page": 1 + i % 5})),
        ]
    finally:
        server.terminate()
        server.wait(timeout=30)

    database = urlsplit(url).path.lstrip("/")
    print()
    print("load average (1, 5, 15 min) at start: %.1f %.1f %.1f, at end: %.1f %.1f %.1f" % (*load_at_start, *os.getloadavg()))
    print(f"Open311 benchmark — PostgreSQL database {database}, {case_count:,} cases; {args.server} with "
          f"{args.workers} workers; {os.cpu_count()} CPUs shared by client, server and database")
    print(f"{'phase':<52} {'c':>3} {'ok':>7} {'req/s':>9} {'p50 ms':>8} {'p99 ms':>8} {'mean ms':>8} {'errors':>6}")
    for result in results:
        print(result.row())
    bare, post = results[0], results[1]
    if bare.throughput:
        print(f"POST throughput with {c} clients: {post.throughput / bare.throughput:.2f}x the bare-insert floor "
              f"(goal: at least 0.5x); {queries} queries per POST (counted in-process beforehand)")


if __name__ == "__main__":
    main()
