"""Page weight: a citizen on a prepaid phone plan opens the report form. Measured from what Chromium
actually received (headers and compressed bodies), served the production way (see docs/frontend.md)."""

from __future__ import annotations

import pytest

from ventanilla.browser import TransferMeter

pytestmark = pytest.mark.browser

# The budget for a page's first visit with an empty cache, in bytes.
FIRST_LOAD_BUDGET = 150_000


def first_load(page, url: str) -> TransferMeter:
    meter = TransferMeter(page)
    response = page.goto(url, wait_until="networkidle")
    assert response is not None and response.status == 200, f"{url} answered {response and response.status}"
    # Let the last DevTools events arrive before adding up.
    page.wait_for_timeout(100)
    return meter


# The report form's first step, the form itself (map closed: Leaflet loads only when the map opens), the home page.
PAGES = {
    "report: category": lambda world: "/reportar/",
    "report: form": lambda world: f"/reportar/{world.rubbish.code}/",
    "home": lambda world: "/",
    "home in English": lambda world: "/en/",
}


@pytest.mark.parametrize("name", PAGES)
def test_first_load_of_the_page_stays_within_budget(page, production_server, transactional_world, name):
    meter = first_load(page, production_server + PAGES[name](transactional_world))

    assert meter.total <= FIRST_LOAD_BUDGET, meter.report()


def test_the_stylesheet_arrives_compressed_and_cacheable_forever(page, production_server, transactional_world):
    stylesheets = []
    page.on("response", lambda response: stylesheets.append(response) if response.url.endswith(".css") else None)
    page.goto(production_server + "/", wait_until="networkidle")

    assert len(stylesheets) == 1
    headers = stylesheets[0].all_headers()
    assert headers.get("content-encoding") in {"gzip", "br"}
    assert "immutable" in headers.get("cache-control", "")
