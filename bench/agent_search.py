"""Benchmark: the 311 agent console's caller search on PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/desk_bench .venv/bin/python bench/agent_search.py [CASES] [ROUNDS]

The database (default `desk_bench`) is created if missing, migrated, given the jurisdiction's data and
filled up to CASES cases (default 1,000,000) with `generate_cases`. Contacts that have no normalised phone
or cédula yet (the generator's rows) get realistic ones, distinct per contact, written by one UPDATE.
Then, as a signed-in 311 agent through Django's test client (the whole stack: middleware, session,
view, template), it times the console page `/oficina/agente/?q=...` for ROUNDS searches (default 300),
each with a phone of an existing contact written in one of several forms, a cédula, or a phone nobody has.
Prints p50 / p95 / max wall clock and the load average: on a shared machine the wall clock includes
waiting for a CPU. Goal (issue 7): p95 ≤ 150 ms.
"""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/desk_bench"
FORMS = ["6{a}-{b}", "6{a}{b}", "+507 6{a} {b}", "(507) 6{a}-{b}", "00507 6{a}-{b}"]


def fill_contacts() -> int:
    from django.db import connection

    # 6XXX-XXXX mobiles and P-XXX-XXXX cédulas, derived from the contact id so each is distinct.
    with connection.cursor() as cursor:
        cursor.execute(
            """
            UPDATE cases_casecontact SET
              phone = '6' || lpad((id % 10000000)::text, 7, '0'),
              phone_normalized = '+5076' || lpad((id % 10000000)::text, 7, '0'),
              national_id = ((id % 9) + 1)::text || '-' || ((id / 9) % 1000)::text || '-' || (id % 10000)::text,
              national_id_normalized = ((id % 9) + 1)::text || '-' || ((id / 9) % 1000)::text || '-' || (id % 10000)::text
            WHERE phone_normalized = '' AND national_id_normalized = ''
            """
        )
        return cursor.rowcount


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else int(os.environ.get("BENCH_CASES", "1000000"))
    rounds = int(sys.argv[2]) if len(sys.argv) > 2 else 300
    url = os.environ.setdefault("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    sys.path.insert(0, str(ROOT))
    sys.path.insert(0, str(ROOT / "bench"))
    from generate_cases import ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.test import Client

    from demodata.store import generate_cases
    from cases.models import Case, CaseContact, Category
    from entities.models import Entity, Membership

    settings.ALLOWED_HOSTS = ["*"]
    # Production settings, but static URLs without a collectstatic manifest (no static file is served here).
    settings.STORAGES = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    call_command("migrate", verbosity=0)
    if not Category.objects.exists():
        call_command("load_jurisdiction", stdout=io.StringIO())
    existing = Case.objects.count()
    if existing < count:
        print(f"generating {count - existing:,} cases (already {existing:,})", flush=True)
        generate_cases(count - existing, seed=int(os.environ.get("BENCH_SEED", "2026")))
    filled = fill_contacts()
    contacts = CaseContact.objects.count()
    print(f"{Case.objects.count():,} cases, {contacts:,} contacts ({filled:,} given phones and cédulas now)")

    center = Entity.objects.contact_center() or Entity.objects.order_by("pk").first()
    agent, _ = get_user_model().objects.get_or_create(username="bench-agent")
    Membership.objects.get_or_create(user=agent, entity=center, role=Membership.Role.AGENT)
    client = Client()
    client.force_login(agent)

    rng = random.Random(2026)
    ids = list(CaseContact.objects.order_by("?").values_list("id", "national_id")[: rounds])
    queries = []
    for i in range(rounds):
        contact_id, national_id = ids[i % len(ids)]
        digits = f"{contact_id % 10_000_000:07d}"
        kind = i % 7
        if kind < 5:
            queries.append(("phone", FORMS[kind].format(a=digits[:3], b=digits[3:])))
        elif kind == 5:
            queries.append(("cédula", national_id.replace("-", " ")))
        else:
            queries.append(("unknown phone", f"6{rng.randrange(10**6, 10**7)}-0"))
    client.get("/oficina/agente/", {"q": queries[0][1]})  # warm the process (templates, catalog)
    timings: dict[str, list[float]] = {}
    cpu: list[float] = []
    found = 0
    load_before = os.getloadavg()
    for kind, query in queries:
        started, cpu_started = time.perf_counter(), time.process_time()
        response = client.get("/oficina/agente/", {"q": query})
        elapsed = (time.perf_counter() - started) * 1000
        cpu.append((time.process_time() - cpu_started) * 1000)
        assert response.status_code == 200, response.status_code
        found += b"<caption class=\"govuk-table__caption" in response.content
        timings.setdefault(kind, []).append(elapsed)
    load_after = os.getloadavg()
    every = [t for values in timings.values() for t in values]
    print(f"load average before {load_before[0]:.1f} / after {load_after[0]:.1f} ({os.cpu_count()} CPUs)")
    print(f"{len(every)} console searches, {found} found cases")
    for kind, values in [("all", every), *timings.items(), ("CPU (Python)", cpu)]:
        print(
            f"  {kind:<14} n={len(values):>4}  p50 {statistics.median(values):6.1f} ms  "
            f"p95 {percentile(values, 0.95):6.1f} ms  max {max(values):6.1f} ms"
        )


if __name__ == "__main__":
    main()
