"""Answering the satisfaction survey in a real browser, from the tracking page of a resolved case."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import SurveyResponse
from cases.services import Actor, resolve, transition
from ventanilla.testing import new_case

pytestmark = pytest.mark.browser

# Sending re-encodes photos and writes the case: on a busy test machine that takes longer than
# Playwright's default 5 s for an expectation.
AFTER_SENDING = 20_000


def test_a_citizen_rates_a_resolved_case_once(page, live_server, transactional_world):
    world = transactional_world
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    resolve(case, Actor(user=world.alice), "El camión pasó el martes.")

    page.goto(f"{live_server.url}/seguimiento/{case.tracking_token}/")
    page.get_by_role("link", name="Díganos qué le pareció el servicio").click()
    page.get_by_label("Satisfecho", exact=True).check()
    page.get_by_label("Sí").check()
    page.get_by_label("¿Algo más que quiera decirnos? (opcional)").fill("Tardaron, pero cumplieron.")
    page.get_by_role("button", name="Enviar mis respuestas").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Gracias por responder", timeout=AFTER_SENDING)
    answer = SurveyResponse.objects.get(case=case)
    assert (answer.satisfaction, answer.solved, answer.comment) == (4, True, "Tardaron, pero cumplieron.")
    expect(page.get_by_role("link", name="Díganos qué le pareció el servicio")).to_have_count(0)
    page.goto(f"{live_server.url}/encuesta/{case.tracking_token}/")
    expect(page.locator("[data-survey-answered]")).to_be_visible()
