"""Running the import command the way an operator does, and reading its rejects file."""

from __future__ import annotations

import csv
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.utils import translation

FIXTURES = Path(__file__).parent / "fixtures"


def run_import(tmp_path: Path, file: Path, fmt: str, *args: str) -> tuple[str, list[dict]]:
    rejects = tmp_path / "rejects.csv"
    out = StringIO()
    # The reasons are written in the operator's language; these tests read the English ones.
    with translation.override("en"):
        call_command("import_cases", str(file), "--format", fmt, "--rejects", str(rejects), *args, stdout=out,
                     verbosity=0)
    with open(rejects, newline="", encoding="utf-8") as handle:
        return out.getvalue(), list(csv.DictReader(handle))
