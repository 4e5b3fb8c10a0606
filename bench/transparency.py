"""Benchmark: the published figures on PostgreSQL with a million generated cases.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_transparency .venv/bin/python bench/transparency.py [--cases 1000000]

The database is created if missing, migrated, given the jurisdiction's data and filled up to --cases with
`generate_cases` (the cases spread over the last 365 days). Then, for the last complete month:

1. compute the month for all entities (`transparency.figures.compute_month`: the SQL aggregation, the
   calendar table and the roll-up), best and median of 3 runs. Goal ≤ 2 s at 1M cases.
2. freeze it (`publish_month`) and serve the ranking page from the frozen snapshot through Django's
   test client (middleware, view, template), 30 requests, p50 and p95. Goal ≤ 50 ms.
3. stream the whole-history CSV (`/transparencia/datos/casos.csv`) in a fresh child process, counting
   rows and bytes, and print rows/s and the child's peak RSS. Goals ≥ 50,000 rows/s and ≤ 200 MB.

Figures are printed with the load average: on a shared machine wall clock includes waiting for a CPU.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bench_transparency"


def load() -> str:
    return "load average " + " ".join(f"{x:.2f}" for x in os.getloadavg())


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver")
    import django

    django.setup()
    from django.conf import settings

    # The pages' templates name static files; the benchmark serves no static files, so no manifest is needed.
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def export_child() -> None:
    """Runs in a child process so that its peak RSS is the export's alone."""
    setup_django()
    from django.test import Client

    began, cpu = time.perf_counter(), time.process_time()
    response = Client().get("/transparencia/datos/casos.csv", secure=True)
    rows = size = 0
    for chunk in response.streaming_content:
        rows += chunk.count(b"\r\n")
        size += len(chunk)
    seconds, cpu = time.perf_counter() - began, time.process_time() - cpu
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{rows - 1} {size} {seconds:.3f} {peak_mb:.1f} {cpu:.3f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=int(os.environ.get("BENCH_CASES", "1000000")))
    parser.add_argument("--export-child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if args.export_child:
        export_child()
        return
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    ensure_database(url)
    setup_django()
    from django.core.management import call_command
    from django.test import Client
    from django.utils import timezone

    from cases.models import Case, Category
    from transparency.figures import compute_month
    from transparency.jobs import publish_month
    from transparency.models import PublishedMonth

    call_command("migrate", verbosity=0)
    if not Category.objects.exists():
        call_command("load_jurisdiction", verbosity=0)
    missing = args.cases - Case.objects.count()
    if missing > 0:
        print(f"generating {missing:,} cases…", flush=True)
        began = time.perf_counter()
        call_command("generate_cases", count=missing, verbosity=0)
        print(f"  done in {time.perf_counter() - began:.0f} s", flush=True)
        from django.db import connection

        # What autovacuum would do soon after a bulk load: fresh statistics for the planner.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    total = Case.objects.count()
    now = timezone.localtime()
    year, month = (now.year, now.month - 1) if now.month > 1 else (now.year - 1, 12)
    print(f"{total:,} cases; month {year}-{month:02d}; {load()}")

    times, data = [], None
    for _ in range(3):
        began = time.perf_counter()
        data = compute_month(year, month)
        times.append(time.perf_counter() - began)
    assert data is not None
    print(
        f"compute one month, all entities: best {min(times):.2f} s, median {statistics.median(times):.2f} s "
        f"({data['national']['received']:,} received, {len(data['entities'])} entities, "
        f"{len(data['entity_categories'])} entity × category rows; goal ≤ 2 s) — {load()}"
    )

    PublishedMonth.objects.filter(year=year, month=month).delete()
    began = time.perf_counter()
    publish_month(year, month, ckan=False)
    print(f"publish (compute + freeze): {time.perf_counter() - began:.2f} s")
    client, latencies, cpu = Client(), [], []
    path = f"/transparencia/{year:04d}/{month:02d}/"
    for _ in range(30):
        began, began_cpu = time.perf_counter(), time.process_time()
        response = client.get(path, secure=True)  # production redirects plain http to https
        latencies.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
        assert response.status_code == 200, (response.status_code, response.get("Location"))
    latencies.sort()
    print(
        f"ranking page from the frozen snapshot: p50 {statistics.median(latencies):.1f} ms, "
        f"p95 {latencies[int(len(latencies) * 0.95) - 1]:.1f} ms, CPU of the web process p50 {statistics.median(cpu):.1f} ms "
        f"({len(response.content):,} bytes; goal ≤ 50 ms) — {load()}"
    )

    out = subprocess.run(
        [sys.executable, __file__, "--export-child"], capture_output=True, text=True, check=True, env=os.environ
    ).stdout.split()
    rows, size, seconds, peak, cpu_s = int(out[0]), int(out[1]), float(out[2]), float(out[3]), float(out[4])
    print(
        f"whole-history CSV: {rows:,} rows, {size / 1e6:.0f} MB in {seconds:.1f} s = {rows / seconds:,.0f} rows/s "
        f"({rows / cpu_s:,.0f} rows per CPU-second of the web process) "
        f"(goal ≥ 50,000), peak RSS {peak:.0f} MB (goal ≤ 200 MB) — {load()}"
    )


if __name__ == "__main__":
    main()
