"""Spanish by default, English under /en/, and a language switch that keeps the citizen on the same page."""

from __future__ import annotations

import pytest

from ventanilla.layout import path_in_language


def test_pages_are_spanish_by_default_and_english_under_en(client, world):
    spanish = client.get("/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    english = client.get("/en/").content.decode()

    # The address decides, not the browser's preference: a shared link shows what the sender saw.
    assert '<html lang="es"' in spanish and "¿Qué necesita hacer?" in spanish
    assert '<html lang="en"' in english and "What do you need to do?" in english


def test_each_page_names_its_other_language_version(client, world):
    html = client.get("/").content.decode()

    assert '<link rel="alternate" hreflang="en" href="/en/">' in html
    assert '<a class="vt-language__link" href="/en/" hreflang="en" lang="en">English</a>' in html


def test_the_switch_keeps_the_query_string(client, world):
    html = client.get("/en/?tema=salud").content.decode()

    assert 'href="/?tema=salud" hreflang="es" lang="es">Español</a>' in html


def test_the_switch_also_works_on_pages_no_url_pattern_can_name():
    assert path_in_language("/no-existe/?a=1", "en") == "/en/no-existe/?a=1"
    assert path_in_language("/en/no-existe/", "es") == "/no-existe/"
    assert path_in_language("/en", "es") == "/"


@pytest.mark.browser
@pytest.mark.parametrize("path", ["/", "/seguimiento/", "/tramites/?q=cedula", "/tramites/cedula-primera-vez/"])
def test_the_switch_works_without_javascript_and_returns_to_the_same_page(
    page_without_js, live_server, transactional_world, path
):
    from catalog.tests.catalog_data import load_sample_catalog

    load_sample_catalog(transactional_world)
    page = page_without_js
    page.goto(live_server.url + path)
    assert page.locator("html").get_attribute("lang") == "es"

    page.get_by_role("link", name="English").click()
    assert page.url == live_server.url + "/en" + path
    assert page.locator("html").get_attribute("lang") == "en"
    assert page.get_by_role("navigation", name="Main menu").is_visible()

    page.get_by_role("link", name="Español").click()
    assert page.url == live_server.url + path
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_role("navigation", name="Menú principal").is_visible()
