"""The satisfaction survey in a real browser, from the tracking page of a resolved case: "yes" closes the
case and leads to the rating; "no" offers to reopen it instead. With and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Case, CaseEvent, State, SurveyResponse
from cases.services import Actor, resolve, transition
from ventanilla.testing import new_case

pytestmark = pytest.mark.browser

# Sending writes the case and its event: on a busy test machine that takes longer than Playwright's
# default 5 s for an expectation.
AFTER_SENDING = 20_000


def resolved(world) -> Case:
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    return resolve(case, Actor(user=world.alice), "El camión pasó el martes.")


def test_a_citizen_confirms_the_case_is_solved_in_the_survey_and_rates_it_once(page, live_server, transactional_world):
    case = resolved(transactional_world)

    page.goto(f"{live_server.url}/seguimiento/{case.tracking_token}/")
    page.get_by_role("link", name="Díganos qué le pareció el servicio").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("¿Se resolvió el problema?")
    expect(page.locator("[data-resolution]")).to_have_text("El camión pasó el martes.")
    page.get_by_label("Sí").check()
    page.get_by_role("button", name="Continuar").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("El caso está cerrado", timeout=AFTER_SENDING)
    assert Case.objects.get(pk=case.pk).state == State.CLOSED
    assert CaseEvent.objects.get(case=case, kind=CaseEvent.Kind.CLOSED).actor is None
    page.get_by_label("Satisfecho", exact=True).check()
    page.get_by_label("¿Algo más que quiera decirnos? (opcional)").fill("Tardaron, pero cumplieron.")
    page.get_by_role("button", name="Enviar mis respuestas").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Gracias por responder", timeout=AFTER_SENDING)
    answer = SurveyResponse.objects.get(case=case)
    assert (answer.satisfaction, answer.solved, answer.comment) == (4, True, "Tardaron, pero cumplieron.")
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "closed")
    expect(page.get_by_role("button", name="Sí, está resuelto: cerrar el caso")).to_have_count(0)
    expect(page.get_by_role("link", name="Díganos qué le pareció el servicio")).to_have_count(0)
    page.goto(f"{live_server.url}/encuesta/{case.tracking_token}/")
    expect(page.locator("[data-survey-answered]")).to_be_visible()


def test_a_citizen_says_no_in_english_and_reopens_the_case_from_the_survey(page, live_server, transactional_world):
    case = resolved(transactional_world)

    page.goto(f"{live_server.url}/en/encuesta/{case.tracking_token}/")
    page.get_by_role("button", name="Continue").click()  # no answer: the error summary links to the radios
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say whether the problem was solved.")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continue").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Reopen the case", timeout=AFTER_SENDING)
    assert Case.objects.get(pk=case.pk).state == State.RESOLVED
    page.get_by_label("What is still not solved?").fill("The bags are still on the corner.")
    page.get_by_role("button", name="It is not solved: reopen the case").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("The case was reopened", timeout=AFTER_SENDING)
    assert page.url == f"{live_server.url}/en/seguimiento/{case.tracking_token}/"
    expect(page.locator("[data-state]")).to_have_attribute("data-state", "reopened")
    assert Case.objects.get(pk=case.pk).state == State.REOPENED and not SurveyResponse.objects.exists()


def test_without_javascript_no_then_not_reopening_records_the_rating(page_without_js, live_server, transactional_world):
    page = page_without_js
    case = resolved(transactional_world)

    page.goto(f"{live_server.url}/encuesta/{case.tracking_token}/")
    page.get_by_label("No", exact=True).check()
    page.get_by_role("button", name="Continuar").click()
    page.get_by_role("link", name="No reabrirlo: seguir con la encuesta").click()
    page.get_by_label("Insatisfecho", exact=True).check()
    page.get_by_role("button", name="Enviar mis respuestas").click()

    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Gracias por responder", timeout=AFTER_SENDING)
    answer = SurveyResponse.objects.get(case=case)
    assert (answer.satisfaction, answer.solved) == (2, False)
    assert Case.objects.get(pk=case.pk).state == State.RESOLVED
