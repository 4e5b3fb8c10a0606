"""Reporting in a real browser (headless Chromium): with JavaScript (filter, map pin, current location)
and without it (district from the list), the language switch, accessibility and the weight of the
first load. Map tiles never load here (no internet), which must not stop anyone from reporting."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image
from playwright.sync_api import expect

from cases.models import Case
from portal.journey.testing import GPS_IFD, gps_exif, jpeg_bytes
from ventanilla.browser import TransferMeter, axe_violations, describe_violations
from ventanilla.testing import DAVID, SAN_MIGUELITO

pytestmark = pytest.mark.browser

# Sending re-encodes photos and writes the case: on a busy test machine that takes longer than
# Playwright's default 5 s for an expectation.
AFTER_SENDING = 20_000

FIRST_LOAD_BUDGET = 150_000
NOT_THIS_SERVER = re.compile(r"^https?://(?!localhost[:/]|127\.0\.0\.1[:/])")


@pytest.fixture
def offline(page):
    """Every request that leaves the test server fails, as it would with the tile server down."""
    failed = []

    def refuse(route):
        failed.append(route.request.url)
        route.abort()

    page.route(NOT_THIS_SERVER, refuse)
    return failed


def choose_rubbish(page, base: str) -> None:
    page.goto(base + "/reportar/")
    page.get_by_label("Buscar en la lista").fill("basura")
    expect(page.get_by_label("Falta de agua")).to_be_hidden()
    page.get_by_label("Basura no recogida").check()
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basura no recogida")


def test_a_citizen_reports_with_a_photo_and_a_pin_on_the_map(page, live_server, transactional_world, offline, tmp_path):
    photo = tmp_path / "IMG_2031.jpg"
    photo.write_bytes(jpeg_bytes(size=(3000, 2000), exif=gps_exif()))
    choose_rubbish(page, live_server.url)

    page.get_by_label("¿Qué está pasando?").fill("Hace una semana que no pasa el carro de la basura.")
    expect(page.locator(".govuk-character-count__status")).to_contain_text("Le quedan 3950 caracteres")
    page.get_by_label("Doméstico").check()
    page.get_by_role("button", name="Marcar el lugar en un mapa").click()
    page.wait_for_function("() => window.ventanillaMap && window.ventanillaMap.map !== null")
    page.evaluate("([lat, lon]) => ventanillaMap.map.setView([lat, lon], 16, {animate: false})", list(SAN_MIGUELITO))
    page.locator("[data-map-canvas]").click()
    expect(page.locator("[data-map-status]")).to_contain_text("quedó marcado")
    page.get_by_label("Agregar fotos").set_input_files(str(photo))
    page.get_by_role("button", name="Enviar el reporte").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Reporte recibido", timeout=AFTER_SENDING)
    case = Case.objects.get()
    expect(page.locator("[data-case-number]")).to_have_text(case.number)
    assert case.lat == pytest.approx(SAN_MIGUELITO[0], abs=0.001)
    assert case.lon == pytest.approx(SAN_MIGUELITO[1], abs=0.001)
    assert case.entity == transactional_world.san_miguelito
    attachment = case.attachments.get()
    stored = Image.open(io.BytesIO(attachment.file.read()))
    assert max(stored.size) == 2048 and not stored.getexif().get_ifd(GPS_IFD)
    assert any("tile" in url for url in offline), "the map asked for tiles, and they failed"


def test_the_character_count_follows_text_typed_before_the_page_finished_loading(
    page, live_server, transactional_world, offline
):
    """On a slow phone the citizen can be in the text box before GOV.UK Frontend's module has
    arrived; text that then comes without key presses (pasted, dictated, autofilled) must still
    update the count."""
    held = []

    def hold(route):
        held.append(route)

    page.route("**/govuk-frontend.min.js", hold)
    page.goto(live_server.url + "/reportar/BASURA-NO-RECOGIDA/")
    description = page.get_by_label("¿Qué está pasando?")
    description.focus()
    while not held:
        page.wait_for_timeout(50)
    page.unroute("**/govuk-frontend.min.js")
    held[0].continue_()
    status = page.locator(".govuk-character-count__status")
    expect(status).to_contain_text("Le quedan 4000 caracteres")
    page.keyboard.insert_text("Hace una semana que no pasa el carro de la basura.")
    expect(status).to_contain_text("Le quedan 3950 caracteres")


def test_use_my_location_places_the_report(page, live_server, transactional_world, offline):
    page.context.grant_permissions(["geolocation"], origin=live_server.url)
    page.context.set_geolocation({"latitude": DAVID[0], "longitude": DAVID[1]})
    page.goto(live_server.url + "/reportar/BASURA-NO-RECOGIDA/")

    page.get_by_label("¿Qué está pasando?").fill("Bolsas acumuladas frente al parque.")
    page.get_by_label("Voluminoso").check()
    page.get_by_role("button", name="Usar mi ubicación actual").click()
    expect(page.locator("[data-map-status]")).to_have_text("Se marcó su ubicación actual.")
    page.get_by_role("button", name="Enviar el reporte").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Reporte recibido", timeout=AFTER_SENDING)
    case = Case.objects.get()
    assert case.entity == transactional_world.david and case.district.name == "David"


def test_a_citizen_without_javascript_reports_choosing_the_district(page_without_js, live_server, transactional_world):
    page = page_without_js
    page.goto(live_server.url + "/reportar/")
    expect(page.get_by_label("Buscar en la lista")).to_have_count(0)
    expect(page.get_by_label("Basura no recogida")).to_be_hidden()  # inside a collapsed group heading
    page.locator("summary", has=page.locator(f"text={transactional_world.rubbish.group_es}")).click()
    page.get_by_label("Basura no recogida").check()
    page.get_by_role("button", name="Continuar").click()

    expect(page.get_by_role("button", name="Marcar el lugar en un mapa")).to_be_hidden()
    page.get_by_label("¿Qué está pasando?").fill("Basura regada en toda la calle.")
    page.get_by_label("Doméstico").check()
    page.get_by_label("Dirección o punto de referencia (opcional)").fill("Calle 3, Cerro Viento")
    page.get_by_label("Distrito (opcional)").select_option(label="San Miguelito")
    page.get_by_role("button", name="Enviar el reporte").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Reporte recibido", timeout=AFTER_SENDING)
    case = Case.objects.get()
    assert case.entity == transactional_world.san_miguelito and case.lat is None
    page.get_by_role("link", name="Seguir su caso").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basura no recogida")
    expect(page.locator("[data-timeline]")).to_contain_text("Municipio de San Miguelito")


def test_a_refused_report_shows_the_error_summary_in_spanish(page_without_js, live_server, transactional_world):
    page = page_without_js
    page.goto(live_server.url + "/reportar/BASURA-NO-RECOGIDA/")

    page.get_by_role("button", name="Enviar el reporte").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Hay un problema", timeout=AFTER_SENDING)
    expect(summary.get_by_role("link", name="Describa el problema.")).to_have_attribute("href", "#description")
    assert Case.objects.count() == 0


def test_the_language_switch_keeps_the_report_form(page, live_server, transactional_world):
    page.goto(live_server.url + "/reportar/BASURA-NO-RECOGIDA/")

    page.get_by_role("link", name="English").click()

    expect(page).to_have_url(live_server.url + "/en/reportar/BASURA-NO-RECOGIDA/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Uncollected rubbish")
    expect(page.get_by_label("What is happening?")).to_be_visible()
    page.get_by_role("link", name="Español").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basura no recogida")


@pytest.mark.parametrize("path", ["/reportar/", "/en/reportar/BASURA-NO-RECOGIDA/"])
def test_the_report_pages_have_no_serious_accessibility_problems(page, live_server, transactional_world, offline, path):
    page.goto(live_server.url + path)

    violations = axe_violations(page)

    assert not violations, describe_violations(violations)


def test_a_form_full_of_errors_has_no_serious_accessibility_problems(page, live_server, transactional_world):
    page.goto(live_server.url + "/reportar/BASURA-NO-RECOGIDA/")
    page.get_by_label("¿Qué está pasando?").fill("x" * 4001)
    page.get_by_role("button", name="Enviar el reporte").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible(timeout=AFTER_SENDING)

    violations = axe_violations(page)

    assert not violations, describe_violations(violations)


@pytest.mark.parametrize("path", ["/reportar/", "/reportar/BASURA-NO-RECOGIDA/"])
def test_the_first_load_stays_within_150_kb_and_leaves_the_map_for_later(page, production_server, transactional_world, path):
    meter = TransferMeter(page)

    response = page.goto(production_server + path, wait_until="networkidle")
    page.wait_for_timeout(100)

    assert response.status == 200
    assert meter.total <= FIRST_LOAD_BUDGET, meter.report()
    assert not any("leaflet" in url for url in meter.urls.values()), meter.report()
