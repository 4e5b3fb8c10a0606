"""The catalog end to end in headless Chromium (ventanilla/browser.py), against a live server."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from cases.models import Case
from ventanilla.browser import axe_violations, describe_violations

pytestmark = pytest.mark.browser


def test_a_citizen_searches_a_procedure_opens_it_and_sees_its_sections(page, live_server, live_catalog):
    page.goto(live_server.url + "/tramites/")
    page.get_by_label("Busque un trámite").fill("pasaprote")
    with page.expect_navigation():
        page.get_by_role("button", name="Buscar").click()
    assert page.url == live_server.url + "/tramites/?q=pasaprote"

    first_result = page.locator("#catalog-results ol li").first
    first_result.get_by_role("link", name="Pasaporte ordinario (primera vez o renovación)").click()
    page.wait_for_url(live_server.url + "/tramites/pasaporte-ordinario/")

    assert page.get_by_role("heading", level=1).inner_text() == "Pasaporte ordinario (primera vez o renovación)"
    sections = page.get_by_role("heading", level=2).all_inner_texts()
    for heading in ["Quién puede solicitarlo", "Requisitos", "Documentos que debe llevar", "Pasos", "Costo",
                    "Dónde y cómo hacerlo", "Base legal", "Sobre esta información"]:
        assert heading in sections
    assert page.get_by_text("B/. 100.00").first.is_visible()
    data = json.loads(page.locator('script[type="application/ld+json"]').inner_text())
    assert data["@type"] == "GovernmentService"


def test_results_appear_while_the_citizen_types(page, live_server, live_catalog):
    page.goto(live_server.url + "/tramites/")
    page.get_by_label("Busque un trámite").press_sequentially("brevet", delay=40)
    # No page load happens, but the address follows the words, so it can still be shared.
    page.wait_for_url(live_server.url + "/tramites/?q=brevet")
    results = page.locator("#catalog-results")
    assert "“brevet”" in results.get_by_role("heading", level=2).inner_text()
    # The address changes before the results arrive; expect() waits for them.
    expect(results.get_by_role("link", name="Renovación de licencia de conducir")).to_be_visible()
    assert "encontrado" in page.locator("[data-results-status]").inner_text()


def test_the_search_works_without_javascript(page_without_js, live_server, live_catalog):
    page = page_without_js
    page.goto(live_server.url + "/en/tramites/")
    page.get_by_label("Search for a procedure").fill("birth certificate")
    with page.expect_navigation():
        page.get_by_role("button", name="Search").click()
    page.get_by_role("link", name="Birth certificate").first.click()
    page.wait_for_url(live_server.url + "/en/tramites/certificado-nacimiento/")
    assert page.get_by_role("heading", level=1).inner_text() == "Birth certificate"
    assert page.locator("ul[lang=es]").first.inner_text() == "Número de cédula o datos del inscrito."


def test_a_citizen_reports_outdated_information_and_gets_a_tracking_link(page, live_server, live_catalog):
    page.goto(live_server.url + "/tramites/licencia-conducir-renovacion/")
    page.get_by_role("link", name="Reportar información desactualizada").click()
    # A click returns before the form's POST is answered: wait for the next page before asserting.
    with page.expect_navigation():
        page.get_by_role("button", name="Enviar reporte").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()

    page.get_by_label("Costo").check()
    page.get_by_label("¿Qué está mal o falta en esta página?").fill("La renovación ahora cuesta B/. 45.00.")
    with page.expect_navigation():
        page.get_by_role("button", name="Enviar reporte").click()

    case = Case.objects.get()
    assert page.locator("[data-case-number]").inner_text() == case.number
    assert case.entity.code == "ATTT"
    link = page.locator("[data-tracking-link]")
    assert re.fullmatch(rf"{re.escape(live_server.url)}/seguimiento/{case.tracking_token}/", link.get_attribute("href"))


@pytest.mark.parametrize("language", ["es", "en"])
def test_catalog_pages_meet_wcag_aa_and_fit_a_phone(page, live_server, live_catalog, language):
    prefix = "" if language == "es" else "/en"
    for path in ["/tramites/?q=licencia", "/tramites/tema/vehiculos/", "/tramites/pasaporte-ordinario/",
                 "/tramites/aviso-de-operacion/", "/tramites/pasaporte-ordinario/informacion-desactualizada/"]:
        page.goto(live_server.url + prefix + path)
        violations = axe_violations(page)
        assert not violations, f"{path}:\n{describe_violations(violations)}"
        assert page.evaluate("document.documentElement.scrollWidth") <= 360, path
