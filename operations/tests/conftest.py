import pytest

from .helpers import build_ops


@pytest.fixture
def ops(world):
    return build_ops(world)


@pytest.fixture
def transactional_ops(transactional_world):
    return build_ops(transactional_world)


@pytest.fixture
def in_english():
    """Messages asserted in English (the msgids); Spanish is the site's default."""
    from django.utils import translation

    with translation.override("en"):
        yield
