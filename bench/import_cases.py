"""Benchmark: `ventanilla import_cases` on PostgreSQL, from a large file built by repeating the real samples.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/ventanilla_import_bench .venv/bin/python bench/import_cases.py \
        [--rows 200000] [--format nyc311|la311] [--keep-file]

Builds the file (the NYC or LA sample of ../shared/data/311-samples/ repeated with new ids, so each copy
is new history), creates the database if missing and migrates it, then imports the file twice: a first
run (everything new) and a re-run (everything already there). Prints rows/s, the CPU time of this process
per row, the peak resident memory (flat: it does not grow with the file) and the load average.
Goal (issue 11): >= 10,000 rows/s on PostgreSQL.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SAMPLES = Path(os.environ.get("SAMPLES_DIR", ROOT.parent.parent / "shared" / "data" / "311-samples"))
SAMPLE = {"nyc311": ("nyc311_2023-02-28_sample.csv", "Unique Key"), "la311": ("la311_2018-12_sample.csv", "SRNumber")}
if __name__ == "__main__":
    sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != HERE]
    sys.path.insert(0, str(ROOT))


def bench_module(name: str):
    """A sibling benchmark script as a module, under another name: on sys.path as `open311` it would
    hide the open311 app, whose migrations then go missing."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(f"bench_{name}", HERE / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def build_file(fmt: str, rows: int, target: Path) -> None:
    name, id_column = SAMPLE[fmt]
    source = SAMPLES / name
    if not source.exists():
        source = Path("/work/shared/data/311-samples") / name
    with open(source, newline="", encoding="utf-8", errors="replace") as handle:
        reader = csv.reader(handle)
        header = next(reader)
        records = list(reader)
    key = header.index(id_column)
    with open(target, "w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(header)
        written, copy = 0, 0
        while written < rows:
            for record in records:
                if written >= rows:
                    break
                record = list(record)
                record[key] = f"{record[key]}-{copy}"
                writer.writerow(record)
                written += 1
            copy += 1


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--format", choices=sorted(SAMPLE), default="nyc311")
    parser.add_argument("--keep-file", action="store_true")
    args = parser.parse_args()
    url = os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/ventanilla_import_bench")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ventanilla.settings")
    os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
    ensure_database = bench_module("open311").ensure_database

    ensure_database(url)
    import django

    django.setup()
    from django.core.management import call_command

    from cases.models import Category
    from imports.mapping import load_mapping
    from imports.services import import_file

    call_command("migrate", verbosity=0)
    if not Category.objects.exists():
        call_command("load_jurisdiction", verbosity=0)
    folder = Path(tempfile.mkdtemp(prefix="import-bench-"))
    data = folder / f"{args.format}.csv"
    began = time.perf_counter()
    build_file(args.format, args.rows, data)
    print(f"built {data} ({data.stat().st_size / 1e6:,.0f} MB, {args.rows:,} rows) in {time.perf_counter() - began:.0f} s")
    mapping = load_mapping(args.format, None)
    print(f"{'run':<10} {'rows':>9} {'imported':>9} {'rejected':>9} {'s':>7} {'rows/s':>8} {'CPU µs/row':>11} "
          f"{'peak RSS MB':>11} {'load 1/5/15':>14}")
    for run in ("first", "re-run"):
        cpu = time.process_time()
        result = import_file(data, mapping, create_missing=True, rejects_path=folder / "rejects.csv")
        cpu = time.process_time() - cpu
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        load = "/".join(f"{x:.1f}" for x in os.getloadavg())
        print(f"{run:<10} {result.rows:>9,} {result.imported:>9,} {result.rejected:>9,} {result.seconds:>7.1f} "
              f"{result.rows_per_second:>8,.0f} {cpu / max(result.rows, 1) * 1e6:>11.0f} {peak:>11.0f} {load:>14}")
    if not args.keep_file:
        data.unlink()


if __name__ == "__main__":
    main()
