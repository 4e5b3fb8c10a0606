"""Fixtures for the Open311 tests (helpers are in helpers.py)."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from open311.models import ApiKey


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    # Rate-limit counters live in the cache, keyed by key id: ids repeat between tests on SQLite.
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def api_key(db):
    key, raw = ApiKey.issue("Ciudad App")
    key.raw = raw
    return key
