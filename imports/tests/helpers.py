"""Running the import command the way an operator does, and reading its rejects file."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

from django.core.management import call_command

FIXTURES = Path(__file__).parent / "fixtures"


def run_import(tmp_path: Path, file: Path, fmt: str, *args: str) -> tuple[str, list[dict]]:
    rejects = tmp_path / "rejects.csv"
    out = StringIO()
    call_command("import_cases", str(file), "--format", fmt, "--rejects", str(rejects), *args, stdout=out, verbosity=0)
    with open(rejects, newline="", encoding="utf-8") as handle:
        return out.getvalue(), list(csv.DictReader(handle))
