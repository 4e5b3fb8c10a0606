import pytest


@pytest.fixture
def catalog(world):
    """The sample catalog (catalog/tests/catalog_data.py) on top of the shared world: {slug: Procedure}."""
    from .catalog_data import load_sample_catalog

    return load_sample_catalog(world)


@pytest.fixture
def live_catalog(transactional_world):
    """The same catalog, committed, for tests with a live server."""
    from .catalog_data import load_sample_catalog

    return load_sample_catalog(transactional_world)
