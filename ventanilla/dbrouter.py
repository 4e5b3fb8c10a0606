"""Reads that can be a little stale go to a read replica: exports, published figures, open data.

Configured by DATABASE_REPLICA_URL (docs/deploy.md). Only code that asks for it reads from the replica —
a view decorated with `@replica_reads`, or a block `with replica_reads():` — so a citizen who just filed a
report never reads an older copy of it. Inside such a block the router sends reads to the replica while
it is healthy: it answers and its replay lag is at most REPLICA_MAX_LAG_SECONDS. Otherwise reads fall
back to the primary and the log says why (once per check, not per query). The health check is cached
for REPLICA_CHECK_SECONDS per process.
"""

from __future__ import annotations

import contextvars
import functools
import logging
import threading
import time
from contextlib import ContextDecorator

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, OperationalError, connections

REPLICA = "replica"
logger = logging.getLogger("ventanilla.dbrouter")
_wanted = contextvars.ContextVar("ventanilla_replica_reads", default=False)


class replica_reads(ContextDecorator):
    """Within this block (or decorated view), reads may come from the replica."""

    def __enter__(self):
        self._token = _wanted.set(True)
        return self

    def __exit__(self, *exc):
        _wanted.reset(self._token)
        return False


class primary_reads(ContextDecorator):
    """Within this block reads go to the primary even inside a replica block: work that writes and then
    reads what it wrote in one transaction (computing a month writes its calendar first)."""

    def __enter__(self):
        self._token = _wanted.set(False)
        return self

    def __exit__(self, *exc):
        _wanted.reset(self._token)
        return False


class _Health:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.checked_at = float("-inf")
        self.healthy = False

    def replica_usable(self) -> bool:
        interval = settings.REPLICA_CHECK_SECONDS
        now = time.monotonic()
        if now - self.checked_at < interval:
            return self.healthy
        with self.lock:
            if now - self.checked_at >= interval:
                self.healthy = self._check()
                self.checked_at = time.monotonic()
        return self.healthy

    def forget(self) -> None:
        self.checked_at = float("-inf")

    @staticmethod
    def _check() -> bool:
        try:
            lag = replica_lag_seconds()
        except OperationalError as exc:
            logger.warning("read replica unavailable, reading from the primary: %s", type(exc).__name__)
            connections[REPLICA].close()
            return False
        if lag is None:
            logger.warning("database 'replica' is not in recovery (not a replica), reading from the primary")
            return False
        if lag > settings.REPLICA_MAX_LAG_SECONDS:
            logger.warning("read replica lags %.1f s (limit %s s), reading from the primary", lag,
                           settings.REPLICA_MAX_LAG_SECONDS)
            return False
        return True


health = _Health()


def replica_lag_seconds() -> float | None:
    """How far the replica's replay is behind (0 when it has replayed all it received); None when the
    database is not a replica at all."""
    with connections[REPLICA].cursor() as cursor:
        cursor.execute(
            "SELECT pg_is_in_recovery(), "
            "CASE WHEN pg_last_wal_receive_lsn() IS NOT DISTINCT FROM pg_last_wal_replay_lsn() THEN 0 "
            "ELSE COALESCE(EXTRACT(EPOCH FROM now() - pg_last_xact_replay_timestamp()), 0) END"
        )
        in_recovery, lag = cursor.fetchone()
    return float(lag) if in_recovery else None


def reading_database() -> str:
    """The alias reads go to right now."""
    if _wanted.get() and REPLICA in settings.DATABASES and health.replica_usable():
        return REPLICA
    return DEFAULT_DB_ALIAS


class ReplicaRouter:
    def db_for_read(self, model, **hints):
        return reading_database()

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        # The replica is a copy of the primary: the same rows under two aliases.
        return True

    def allow_migrate(self, db, app_label, **hints):
        return db == DEFAULT_DB_ALIAS


def replica_view(view):
    """Decorator form for function views (same as @replica_reads(), kept for readability)."""

    @functools.wraps(view)
    def wrapped(*args, **kwargs):
        with replica_reads():
            return view(*args, **kwargs)

    return wrapped
