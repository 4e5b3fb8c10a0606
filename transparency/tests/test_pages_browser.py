"""The published figures' pages in headless Chromium at 360 px, in Spanish and English: no serious
accessibility problem (axe-core, WCAG 2.1 AA) and no sideways scrolling. One published month with
every kind of row (dataset.py) is built once per page and language."""

from __future__ import annotations

import pytest

from transparency.jobs import publish_month
from transparency.tests.dataset import MONTH, YEAR, build_month
from ventanilla.browser import axe_violations, describe_violations
from ventanilla.layout import localized_path

pytestmark = pytest.mark.browser

PAGES = [
    "/transparencia/",
    "/transparencia/2026/03/",
    "/transparencia/entidades/IDAAN/",
    "/transparencia/metodologia/",
    "/transparencia/observatorio/",
    "/transparencia/datos/",
]
WIDEST = """[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right >
 document.documentElement.clientWidth + 0.5).slice(0, 8).map(e => e.tagName + '.' + e.className)"""


@pytest.fixture
def published(transactional_world, settings):
    settings.TRANSPARENCY_MIN_CLOSED = 1
    build_month(transactional_world)
    publish_month(YEAR, MONTH)


@pytest.mark.parametrize("language", ["es", "en"])
def test_the_figures_pages_pass_axe_and_fit_a_phone(page, live_server, published, language):
    for path in PAGES:
        response = page.goto(live_server.url + localized_path(path, language))
        assert response is not None and response.status == 200, path
        assert page.locator("html").get_attribute("lang") == language

        violations = axe_violations(page)

        assert violations == [], f"{path}: {describe_violations(violations)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, (path, page.evaluate(WIDEST))


def test_the_ranking_is_sorted_and_filtered_without_javascript(page_without_js, live_server, published):
    page = page_without_js
    page.goto(live_server.url + "/transparencia/2026/03/")
    page.select_option("#tipo", "municipality")
    page.locator("main form[method=get] button").click()
    page.wait_for_url("**tipo=municipality**")

    entities = page.locator("[data-ranking] tbody tr").evaluate_all("rows => rows.map(r => r.dataset.entity)")
    assert set(entities) == {"MUNSM", "MUNDAVID"}
