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
def _default_language():
    """Every test starts in the default language. A request through the test client leaves its language
    active in the thread (LocaleMiddleware activates it and nothing resets it), so an English page
    viewed in one test would otherwise make `reverse()` and `gettext` English in the next."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_option_lists():
    """The back office keeps its select lists per process (backoffice/options.py), renewed by signals. Each
    test builds its own world, partly in bulk (no signals): it starts from lists built from its own data."""
    from backoffice import options

    options._built.clear()
    yield


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    # Uploaded files of one test never land in the developer's var/ folder or another test's view.
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _case_numbers_start_again(request, django_db_blocker):
    """PostgreSQL's per-year number sequences (cases/numbering.py) outlive a flushed table, as sequences
    do; after a test that committed, they are dropped, so the next test numbers from 1 again."""
    yield
    if "transactional_db" in request.fixturenames:
        from cases.numbering import forget_numbering

        with django_db_blocker.unblock():
            forget_numbering()
