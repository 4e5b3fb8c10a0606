"""Fixtures for every app's tests. Builders live in ventanilla/testing.py so benchmarks can reuse them."""

import os

os.environ.setdefault("VENTANILLA_TESTING", "1")

import pytest  # noqa: E402

pytest_plugins = ["ventanilla.browser"]


@pytest.fixture
def world(db):
    from ventanilla.testing import build_world

    return build_world()


@pytest.fixture
def transactional_world(transactional_db):
    """The same world for tests that need real commits (threads, live servers)."""
    from ventanilla.testing import build_world

    return build_world()


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files of one test never land in the developer's var/ folder or another test's view.
    settings.MEDIA_ROOT = tmp_path / "media"
