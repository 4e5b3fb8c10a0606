import pytest

from .helpers import build_ops


@pytest.fixture
def ops(world):
    return build_ops(world)


@pytest.fixture
def transactional_ops(transactional_world):
    return build_ops(transactional_world)
