"""Load a jurisdiction's data set: boundaries, entities, calendar, categories, themes and procedures.

Idempotent: running it again changes nothing; running it on a newer data set updates rows by code.
A government adopting Ventanilla writes its own data folder and runs this with --dir.
"""

import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cases.loaders import load_categories, load_non_working_days
from catalog.loaders import load_procedures, load_themes
from entities.services import load_boundaries, load_entities


def read_json(folder: Path, name: str):
    path = folder / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else None


class Command(BaseCommand):
    help = "Load a jurisdiction's data set (default: JURISDICTION_DATA_DIR)."

    def add_arguments(self, parser):
        parser.add_argument("--dir", type=Path, default=None, help="Folder with jurisdiction.json and the data files.")
        parser.add_argument("--boundaries", type=Path, default=None, help="Load only this boundary file (newer districts).")

    def handle(self, *args, dir=None, boundaries=None, **options):
        folder = Path(dir or settings.JURISDICTION_DATA_DIR)
        jurisdiction = read_json(folder, "jurisdiction.json")
        if jurisdiction is None:
            raise CommandError(f"No jurisdiction.json in {folder}")
        spec = jurisdiction["boundaries"]
        count = load_boundaries(
            boundaries or folder / spec["file"],
            district_property=spec.get("district_property", "district"),
            province_property=spec.get("province_property", "province"),
            province_code_property=spec.get("province_code_property", "province_iso"),
        )
        self.stdout.write(f"districts: {count}")
        if boundaries:
            return
        steps = [
            ("entities.json", load_entities),
            ("categories.json", load_categories),
            ("themes.json", load_themes),
            ("procedures.json", load_procedures),
        ]
        self.stdout.write(f"non-working days: {load_non_working_days(jurisdiction.get('non_working_days', []))}")
        for name, loader in steps:
            rows = read_json(folder, name)
            if rows is not None:
                self.stdout.write(f"{name}: {loader(rows)}")
