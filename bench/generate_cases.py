"""Benchmark: how fast `generate_cases` fills PostgreSQL with cases and their timelines.

    .venv/bin/python bench/generate_cases.py [COUNT]          (default 1,000,000; or BENCH_CASES=...)

DATABASE_URL selects the database (default postgres://postgres@127.0.0.1:5432/ventanilla_bench); it is
created if missing, migrated, and given the jurisdiction's data when it has no categories yet. Prints
cases/s, events/s and the total time, plus the CPU time spent by this process and by the database server
processes serving it: on a busy machine the wall-clock rate says more about the neighbours than about the
code, and the CPU figures show which side bounds the rate.
"""

from __future__ import annotations

import io
import os
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/ventanilla_bench"
TICK = os.sysconf("SC_CLK_TCK")


def ensure_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = urlunsplit(parts._replace(path="/postgres"))
    with psycopg.connect(admin, autocommit=True) as conn:
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is None:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


class ServerCpu:
    """CPU seconds used by the server processes of one database (sampled: a backend's counters vanish
    with it), read from /proc — the benchmark runs next to its database."""

    def __init__(self, database: str) -> None:
        # A backend's title reads "postgres: <user> <database> <client> <activity>".
        self.marker = f" {database} ".encode()
        self.seen: dict[int, float] = {}
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._sample, daemon=True)

    def _read(self) -> None:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ")
                if not cmdline.startswith(b"postgres: ") or self.marker not in cmdline:
                    continue
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                self.seen[int(pid)] = (int(fields[11]) + int(fields[12])) / TICK
            except OSError:
                continue

    def _sample(self) -> None:
        while not self.stop.wait(0.2):
            self._read()

    def __enter__(self) -> "ServerCpu":
        self._read()
        self.before = dict(self.seen)
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()
        self.seconds = sum(cpu - self.before.get(pid, 0.0) for pid, cpu in self.seen.items())


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("BENCH_CASES", "1000000"))
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    # Production settings (DEBUG off: no query log), with a throw-away key since nothing is signed here.
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    sys.path.insert(0, str(ROOT))
    ensure_database(url)

    import django

    django.setup()
    from django.core.management import call_command

    from demodata.store import generate_cases
    from cases.models import Case, Category

    call_command("migrate", verbosity=0)
    if not Category.objects.exists():
        call_command("load_jurisdiction", stdout=io.StringIO())
    existing = Case.objects.count()
    database = urlsplit(url).path.lstrip("/")
    print(f"generating {count:,} cases into {database} (already {existing:,}), {os.cpu_count()} CPUs")

    def progress(result) -> None:
        if result.cases % 100_000 < 10_000:
            print(f"  {result.cases:>9,} cases  {result.cases_per_second:>8,.0f} cases/s", flush=True)

    cpu_before = time.process_time()
    with ServerCpu(database) as server:
        result = generate_cases(count, seed=int(os.environ.get("BENCH_SEED", "2026")), progress=progress)
    python_cpu = time.process_time() - cpu_before
    print(f"cases:         {result.cases:,}")
    print(f"events:        {result.events:,} ({result.events / max(result.cases, 1):.1f} per case)")
    print(f"total time:    {result.seconds:.1f} s")
    print(f"cases/s:       {result.cases_per_second:,.0f}")
    print(f"events/s:      {result.events_per_second:,.0f}")
    print(f"CPU python:    {python_cpu:.1f} s ({python_cpu / result.cases * 1e6:.0f} µs per case)")
    print(f"CPU postgres:  {server.seconds:.1f} s ({server.seconds / result.cases * 1e6:.0f} µs per case)")


if __name__ == "__main__":
    main()
