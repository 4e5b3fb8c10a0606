import pytest

from ventanilla.layout import MAIN_NAVIGATION


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_every_navigation_link_leads_to_a_page(client, world, prefix):
    for path, _label in MAIN_NAVIGATION:
        response = client.get(prefix + path)
        assert response.status_code == 200, f"{prefix}{path} answered {response.status_code}"
