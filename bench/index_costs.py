"""Insert cost of each index on the case tables, measured in PostgreSQL.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bo_bench .venv/bin/python bench/index_costs.py \
        [--rows 100000] [--repeats 3] [--tables cases_case,cases_caseevent,...] [--without INDEX,INDEX,...]

For each table (cases_case, cases_caseevent, cases_casecontact, open311_submission) it copies the newest
--rows rows into a scratch source table, creates an unindexed scratch copy of the table
(CREATE TABLE ... (LIKE ... INCLUDING DEFAULTS): no indexes, no constraints, no foreign keys), then for
each repeat times the same INSERT ... SELECT (in id order, as new rows arrive) into it with no index,
with each one of the real table's indexes alone (same definition, same partial predicate), and with all
of them (and, with --without, with all but the listed ones: what dropping them together saves), each
right after a no-index insert. It prints the median µs per row of each, the median of each one's difference
from the no-index insert just before it (its cost), the index's size on the real table (pg_relation_size)
and the load average: the machine is shared, so compare an index with the floor of the same run, not with
other runs.

The scratch tables are ordinary (logged) tables, so the timings include writing WAL as a real insert does;
they are dropped at the end. The real tables are only read. A table with too few rows of its own (no
Open311 submissions in a generated database) is measured with synthetic rows built from the cases: random
tokens, one idempotency key per row, five API keys. The scratch indexes start empty, so an index on a
random key (tracking_token, token) costs less here than on a table of a million rows whose leaf pages no
longer fit in shared_buffers (bench/README.md, generate_cases).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import datetime, timezone

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/bo_bench"
TABLES = ["cases_case", "cases_caseevent", "cases_casecontact", "open311_submission"]
SCRATCH = "_bench_idx"

# Synthetic Open311 submissions when the table is (nearly) empty: one per case, in case order.
SYNTHETIC = {
    "open311_submission": """
        SELECT c.id AS id, md5(c.id::text || 'k') AS idempotency_key, md5(c.id::text || 'd') AS device_hash,
               substr(md5(random()::text), 1, 32) AS token, '' AS media_url, c.created_at AS created_at,
               1 + c.id %% 5 AS api_key_id, c.id AS case_id
        FROM cases_case c ORDER BY c.id DESC LIMIT %(rows)s
    """,
}


def load() -> str:
    return "load average " + " / ".join(f"{x:.1f}" for x in os.getloadavg())


def indexes_of(conn, table: str) -> list[tuple[str, str, int]]:
    return conn.execute(
        """SELECT i.indexname, i.indexdef, pg_relation_size(format('%%I', i.indexname)::regclass)
           FROM pg_indexes i WHERE i.schemaname = 'public' AND i.tablename = %s ORDER BY i.indexname""",
        [table],
    ).fetchall()


def scratch_index(indexdef: str, name: str, table: str, position: int) -> str:
    """The real index's definition, renamed and pointed at the scratch table."""
    sql = indexdef.replace(f"INDEX {name} ON public.{table} ", f"INDEX {SCRATCH}_i{position} ON {SCRATCH}_t ", 1)
    if sql == indexdef:
        raise RuntimeError(f"cannot rewrite {indexdef!r}")
    return sql


def timed_insert(conn, columns: str) -> float:
    conn.execute(f"TRUNCATE {SCRATCH}_t")
    start = time.perf_counter()
    conn.execute(f"INSERT INTO {SCRATCH}_t ({columns}) SELECT {columns} FROM {SCRATCH}_src ORDER BY id")
    return time.perf_counter() - start


def measure(conn, table: str, rows: int, repeats: int, without_names: set[str]) -> None:
    conn.execute(f"DROP TABLE IF EXISTS {SCRATCH}_src, {SCRATCH}_t")
    real_rows = conn.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) s", [rows]).fetchone()[0]
    if real_rows >= rows:
        conn.execute(f"CREATE TABLE {SCRATCH}_src AS SELECT * FROM {table} ORDER BY id DESC LIMIT %s", [rows])
        origin = "newest rows of the table"
    elif table in SYNTHETIC:
        conn.execute(f"CREATE TABLE {SCRATCH}_src AS " + SYNTHETIC[table], {"rows": rows})
        origin = f"synthetic rows (the table holds {real_rows})"
    else:
        print(f"\n{table}: only {real_rows} rows, skipped")
        return
    conn.execute(f"CREATE TABLE {SCRATCH}_t (LIKE {table} INCLUDING DEFAULTS)")
    conn.execute(f"ANALYZE {SCRATCH}_src")
    columns = ", ".join(
        f'"{c}"'
        for (c,) in conn.execute(
            "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum",
            [f"{SCRATCH}_t"],
        ).fetchall()
    )
    n = conn.execute(f"SELECT count(*) FROM {SCRATCH}_src").fetchone()[0]
    found = indexes_of(conn, table)
    definitions = [scratch_index(d, name, table, i) for i, (name, d, _) in enumerate(found)]
    floors: list[float] = []
    alone: dict[str, list[float]] = {name: [] for name, _, _ in found}
    together: list[float] = []
    # --without: also time all the indexes but these (what dropping them together would save).
    kept = (
        [i for i, (name, _, _) in enumerate(found) if name not in without_names]
        if without_names & {n for n, _, _ in found}
        else []
    )
    without: list[float] = []
    timed_insert(conn, columns)  # warm the source into the cache
    pairs: dict[str, list[float]] = {name: [] for name, _, _ in found}
    for _ in range(repeats):
        # Each index is timed right after a no-index insert, and charged the difference: the neighbours'
        # load drifts over the minutes a table takes, the pair's two inserts share it.
        for i, ((name, _, _), definition) in enumerate(zip(found, definitions)):
            floor = timed_insert(conn, columns)
            floors.append(floor)
            conn.execute(definition)
            alone[name].append(timed_insert(conn, columns))
            pairs[name].append(alone[name][-1] - floor)
            conn.execute(f"DROP INDEX {SCRATCH}_i{i}")
        floor = timed_insert(conn, columns)
        floors.append(floor)
        for definition in definitions:
            conn.execute(definition)
        together.append(timed_insert(conn, columns) - floor)
        for i in range(len(definitions)):
            conn.execute(f"DROP INDEX {SCRATCH}_i{i}")
        if kept:
            floor = timed_insert(conn, columns)
            floors.append(floor)
            for i in kept:
                conn.execute(definitions[i])
            without.append(timed_insert(conn, columns) - floor)
            for i in kept:
                conn.execute(f"DROP INDEX {SCRATCH}_i{i}")
    us = 1e6 / n
    floor = statistics.median(floors) * us
    print(f"\n{table}: {n:,} rows ({origin}), {repeats} repeats, {load()}")
    print(f"  {'index':<58} {'µs/row':>8} {'+µs/row':>8} {'size on table':>14}")
    print(f"  {'(no index)':<58} {floor:8.2f} {'':>8}")
    extra_sum = 0.0
    for name, _, size in found:
        cost = statistics.median(pairs[name]) * us
        extra_sum += cost
        print(f"  {name:<58} {statistics.median(alone[name]) * us:8.2f} {cost:8.2f} {size / 2**20:11.1f} MB")
    all_cost = statistics.median(together) * us
    print(f"  {'all ' + str(len(found)) + ' indexes together':<58} {floor + all_cost:8.2f} {all_cost:8.2f}")
    print(f"  (sum of the single-index costs: {extra_sum:.2f} µs/row)")
    if kept:
        rest = statistics.median(without) * us
        label = f"all but the {len(found) - len(kept)} --without ones"
        print(f"  {label:<58} {floor + rest:8.2f} {rest:8.2f}   (saves {all_cost - rest:.2f} µs/row)")
    conn.execute(f"DROP TABLE {SCRATCH}_src, {SCRATCH}_t")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--tables", default=",".join(TABLES))
    parser.add_argument("--without", default="", help="comma-separated index names: also time all indexes but these")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("This benchmark measures PostgreSQL: set DATABASE_URL to a postgres:// URL.")
    import psycopg

    print(f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC, {url.rsplit('/', 1)[-1]}, {load()}")
    with psycopg.connect(url, autocommit=True) as conn:
        print(
            conn.execute("SHOW server_version").fetchone()[0], "shared_buffers", conn.execute("SHOW shared_buffers").fetchone()[0]
        )
        try:
            for table in args.tables.split(","):
                measure(conn, table.strip(), args.rows, args.repeats, {n.strip() for n in args.without.split(",") if n.strip()})
        finally:
            conn.execute(f"DROP TABLE IF EXISTS {SCRATCH}_src, {SCRATCH}_t")
    print(f"\nfinished {datetime.now(timezone.utc):%H:%M} UTC, {load()}")


if __name__ == "__main__":
    main()
