"""Everything `make demo` needs: the jurisdiction's data, demo staff accounts and a year of cases.

Idempotent and fast on the second run: the data loaders update in place, existing accounts keep their
password, and cases are generated only into a database that has none.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from demodata.generator import GenerationError
from demodata.store import generate_cases
from cases.models import Case
from entities.services import load_staff

# Published in docs/demo.md on purpose: it only ever protects demo accounts on a developer's machine.
DEMO_PASSWORD = "ventanilla-demo-2026"  # noqa: S105 - published on purpose (docs/demo.md)
DEMO_CASES = 3000


class Command(BaseCommand):
    help = "Load the demo: jurisdiction data, demo staff (with a published password) and a year of generated cases."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Jurisdiction data folder (default JURISDICTION_DATA_DIR).")
        parser.add_argument("--cases", type=int, default=DEMO_CASES, help=f"Cases to generate (default {DEMO_CASES}).")
        parser.add_argument("--seed", type=int, default=2026, help="Same seed, same cases (default 2026).")
        parser.add_argument(
            "--force", action="store_true", help="Run outside the demo too. Never on a server others can reach."
        )

    def handle(self, *args, dir=None, cases, seed, force, **options):
        if not settings.DEMO and not force:
            raise CommandError(
                "load_demo creates staff accounts whose password is published, so it runs only in the demo "
                "(DEMO=1). "
                "Use --force to run it anyway, and never on a server that others can reach."
            )
        if cases < 0:
            raise CommandError("--cases cannot be negative.")
        folder = Path(dir or settings.JURISDICTION_DATA_DIR)
        verbosity = options["verbosity"]
        call_command("load_jurisdiction", dir=folder, stdout=self.stdout, verbosity=verbosity)
        staff_file = folder / "staff.json"
        rows = json.loads(staff_file.read_text(encoding="utf-8")) if staff_file.exists() else []
        load_staff(rows, DEMO_PASSWORD)
        # The second factor: one published secret for every demo account (docs/demo.md).
        from backoffice.demo import give_demo_devices

        give_demo_devices(row["username"] for row in rows)
        existing = Case.objects.count()
        if existing:
            self.stdout.write(f"cases: {existing:,} already there, none generated")
        elif cases:
            try:
                # One transaction: an interrupted first run leaves no half demo, and the next run starts again.
                with transaction.atomic():
                    result = generate_cases(cases, seed=seed)
            except GenerationError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"cases: {result.cases:,} generated with {result.events:,} events in {result.seconds:.1f} s")
            from transparency.jobs import publish_complete_months

            # The demo's /transparencia/ shows figures at once: every complete month of the generated year.
            self.stdout.write(f"figures: {len(publish_complete_months())} months published")
        self._print_accounts(rows)

    def _print_accounts(self, rows) -> None:
        if not rows:
            return
        self.stdout.write("")
        from backoffice.demo import DEMO_TOTP_SECRET

        self.stdout.write(f"Demo accounts (password for all: {DEMO_PASSWORD}; TOTP secret for all: {DEMO_TOTP_SECRET}):")
        width = max(len(row["username"]) for row in rows)
        for row in rows:
            where = row.get("entity") or ""
            self.stdout.write(f"  {row['username']:<{width}}  {row['role']:<12}  {where}")
