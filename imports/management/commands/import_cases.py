"""ventanilla import_cases FILE --format nyc311|la311|csv [--mapping FILE] [--create-missing] (docs/imports.md)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from rich.console import Console
from rich.progress import BarColumn, DownloadColumn, Progress, TextColumn, TimeRemainingColumn

from imports.mapping import FORMATS, MappingError, load_mapping
from imports.services import BATCH_SIZE, default_rejects_path, import_file


class Command(BaseCommand):
    help = "Import legacy 311 history from a CSV file (New York, Los Angeles, or any CSV with a mapping file)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=sorted(FORMATS), required=True, dest="fmt")
        parser.add_argument("--mapping", type=Path, default=None, help="JSON mapping file (docs/imports.md).")
        parser.add_argument(
            "--create-missing", action="store_true", help="Create the entities and categories the mapping names."
        )
        parser.add_argument("--rejects", type=Path, default=None, help="Where refused rows go (default FILE.rejects.csv).")
        parser.add_argument("--batch", type=int, default=BATCH_SIZE, help=f"Rows per transaction (default {BATCH_SIZE}).")

    def handle(self, *args, file: Path, fmt: str, mapping, create_missing, rejects, batch, **options):
        if not file.is_file():
            raise CommandError(f"No such file: {file}")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")
        rejects = rejects or default_rejects_path(file)
        try:
            rules = load_mapping(fmt, mapping)
        except MappingError as exc:
            raise CommandError(str(exc)) from exc
        show = options["verbosity"] >= 1
        console = Console(stderr=True)
        bar = Progress(
            TextColumn("[bold]{task.description}"), BarColumn(), DownloadColumn(), TextColumn("{task.fields[rows]}"),
            TimeRemainingColumn(), console=console, disable=not show, transient=False,
        )
        with bar:
            task = bar.add_task(f"import {file.name}", total=file.stat().st_size, rows="")

            def progress(result, _bytes_read) -> None:
                bar.update(task, rows=f"{result.rows:,} rows, {result.rows_per_second:,.0f} rows/s")

            try:
                result = import_file(
                    file, rules, create_missing=create_missing, rejects_path=rejects, batch_size=batch,
                    progress=progress, open_file=lambda p: bar.open(p, "rb", task_id=task),
                )
            except MappingError as exc:
                raise CommandError(str(exc)) from exc
        self.stdout.write(
            f"{result.rows:,} rows in {result.seconds:.1f} s ({result.rows_per_second:,.0f} rows/s): "
            f"{result.imported:,} imported with {result.events:,} events, {result.already_there:,} already there, "
            f"{result.rejected:,} rejected (see {rejects})."
        )
        if result.created_entities or result.created_categories:
            self.stdout.write(
                f"created {len(result.created_entities)} entities ({', '.join(result.created_entities)}) and "
                f"{len(result.created_categories)} categories ({', '.join(result.created_categories)})."
            )
