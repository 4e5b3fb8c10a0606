"""Following a case in a real browser: finding it from the receipt, and answering the institution's
question with a photo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import CaseEvent, State
from cases.services import Actor, request_info, transition
from portal.journey.testing import jpeg_bytes
from ventanilla.browser import axe_violations, describe_violations
from ventanilla.testing import new_case

pytestmark = pytest.mark.browser

# Sending re-encodes photos and writes the case: on a busy test machine that takes longer than
# Playwright's default 5 s for an expectation.
AFTER_SENDING = 20_000


def test_a_citizen_finds_the_case_with_the_link_from_the_receipt(page_without_js, live_server, transactional_world):
    case = new_case(transactional_world, transactional_world.rubbish)
    page = page_without_js
    page.goto(live_server.url + "/seguimiento/")

    page.get_by_label("Enlace o código de seguimiento").fill(f"https://311.gob.pa/seguimiento/{case.tracking_token}/")
    page.get_by_role("button", name="Buscar el caso").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Basura no recogida")
    expect(page.get_by_text(case.number).first).to_be_visible()
    expect(page.locator("[data-timeline]")).to_contain_text("Enviado al municipio del distrito donde está el problema.")


def test_a_citizen_answers_the_institutions_question_with_a_photo(page, live_server, transactional_world, tmp_path):
    world = transactional_world
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    request_info(case, Actor(user=world.alice), "¿Nos puede enviar una foto de la esquina?")
    photo = tmp_path / "esquina.jpg"
    photo.write_bytes(jpeg_bytes())

    page.goto(f"{live_server.url}/seguimiento/{case.tracking_token}/")
    expect(page.locator("[data-question]")).to_have_text("¿Nos puede enviar una foto de la esquina?")
    expect(page.locator("[data-state]")).to_have_text("En espera del ciudadano")
    page.get_by_label("Su respuesta").fill("Aquí está, es la esquina de la panadería.")
    page.get_by_label("Agregar una foto (opcional)").set_input_files(str(photo))
    page.get_by_role("button", name="Enviar la respuesta").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Su respuesta fue enviada", timeout=AFTER_SENDING)
    expect(page.locator("[data-state]")).to_have_text("En proceso")
    case.refresh_from_db()
    assert case.state == State.IN_PROGRESS
    reply = case.events.get(kind=CaseEvent.Kind.CITIZEN_REPLIED)
    assert reply.attachments.count() == 1


def test_the_tracking_page_has_no_serious_accessibility_problems(page, live_server, transactional_world):
    world = transactional_world
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    request_info(case, Actor(user=world.alice), "¿Número de casa?")
    page.goto(f"{live_server.url}/seguimiento/{case.tracking_token}/")

    violations = axe_violations(page)

    assert not violations, describe_violations(violations)
