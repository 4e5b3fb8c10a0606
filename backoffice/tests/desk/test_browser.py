"""The desk end to end in headless Chromium: an agent files a phone case with the keyboard only, and a
supervisor edits a procedure and its review date."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import timezone

from cases.models import Case, Channel
from catalog.models import Procedure

from ventanilla.browser import axe_violations, describe_violations

from .conftest import make_procedure
from .helpers import login

pytestmark = pytest.mark.browser


@pytest.fixture
def desk_page(browser):
    """A desk-sized window (1280 px) in Spanish; sign in with `sign_in(page, live_server, user)`."""
    context = browser.new_context(locale="es-PA", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


def sign_in(page, live_server, user) -> None:
    client = login(Client(), user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def focused(page) -> str:
    return page.evaluate("document.activeElement.id")


def test_an_agent_files_a_phone_case_with_the_keyboard_only(desk_page, live_server, transactional_world):
    world, page = transactional_world, desk_page
    sign_in(page, live_server, world.agent)
    page.goto(live_server.url + "/oficina/agente/")
    # The call starts: the search box has the focus. The caller gives a phone number.
    assert focused(page) == "q"
    page.keyboard.type("6555-1234")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "No se encontraron casos" in page.locator("#caller-cases").inner_text() or "No cases found" in page.locator("#caller-cases").inner_text()
    # Nothing on file: the focus is on the new case, the phone already filled in.
    assert focused(page) == "id_category"
    assert page.locator("#id_contact_phone").input_value() == "6555-1234"
    page.keyboard.type("Falta de agua")
    assert page.locator("#id_category").input_value() == world.water.code
    page.keyboard.press("Tab")
    assert focused(page) == "id_description"
    page.keyboard.type("Sin agua desde el lunes en toda la calle.")
    page.keyboard.press("Tab")
    assert focused(page) == "id_address"
    page.keyboard.type("Calle 5, casa 12")
    page.keyboard.press("Tab")
    assert focused(page) == "id_district"
    page.keyboard.press("Tab")
    assert focused(page) == "id_contact_name"
    page.keyboard.type("José Díaz")
    for expected in ["id_contact_phone", "id_contact_email", "id_contact_national_id", "id_notify_email", "id_notify_sms"]:
        page.keyboard.press("Tab")
        assert focused(page) == expected
    page.keyboard.press("Space")  # the caller wants text messages
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert focused(page) == "file-case"
    with page.expect_navigation():
        page.keyboard.press("Enter")

    case = Case.objects.get()
    assert (case.channel, case.category, case.entity) == (Channel.PHONE, world.water, world.idaan)
    assert (case.contact.name, case.contact.phone_normalized, case.contact.notify_sms) == ("José Díaz", "+50765551234", True)
    panel = page.locator("#filed-case")
    assert case.number in panel.inner_text()
    assert page.locator("[data-tracking-code]").inner_text() == case.tracking_token
    # Ready for the next call.
    assert focused(page) == "q"
    violations = axe_violations(page)
    assert not violations, describe_violations(violations)


def test_a_supervisor_edits_a_procedure_and_its_review_date(desk_page, live_server, transactional_world):
    world, page = transactional_world, desk_page
    procedure = make_procedure(world.san_miguelito, "paz-y-salvo-municipal", reviewed_days_ago=500, name="Paz y salvo municipal")
    sign_in(page, live_server, world.supervisor)
    page.goto(live_server.url + "/oficina/supervision/tramites/")
    overdue = page.locator("#review-overdue-list")
    assert "Paz y salvo municipal" in overdue.inner_text()
    with page.expect_navigation():
        overdue.get_by_role("link", name="Paz y salvo municipal").click()
    page.locator("#id_cost").fill("5.00")
    page.locator("#id_requirements").fill("Cédula vigente.\nRecibo de pago del impuesto de inmueble.")
    page.locator("#id_reviewed_today").check()
    with page.expect_navigation():
        page.locator("#procedure-form button[type=submit]").click()
    assert page.url.startswith(live_server.url + "/oficina/supervision/tramites/")
    assert page.locator("#review-overdue-list").count() == 0
    procedure = Procedure.objects.get(pk=procedure.pk)
    assert procedure.last_reviewed == timezone.localdate()
    assert procedure.requirements == ["Cédula vigente.", "Recibo de pago del impuesto de inmueble."]
    assert str(procedure.cost) == "5.00"
