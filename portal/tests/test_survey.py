"""The satisfaction survey: its first question is "Was the problem solved?", which for a resolved case is the
citizen's word on the resolution (yes closes the case, no offers to reopen it); then the rating, recorded
once per case. Nothing is stored when the survey is not available."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases.models import Case, CaseEvent, State, SurveyResponse
from cases.services import Actor, resolve, transition
from notifications.jobs import auto_close_resolved
from ventanilla.testing import new_case

SPANISH, ENGLISH = "", "/en"
LANGUAGES = pytest.mark.parametrize("prefix", [SPANISH, ENGLISH])
# What the pages say, in each language (prefix -> text).
CLOSED_THANKS = {SPANISH: "Gracias. El caso está cerrado.", ENGLISH: "Thank you. The case is closed."}
ANSWER_THANKS = {SPANISH: "Gracias por responder", ENGLISH: "Thank you for answering"}
REOPENED = {SPANISH: "El caso fue reabierto", ENGLISH: "The case was reopened"}


@pytest.fixture(autouse=True)
def _forget_lookup_failures():
    cache.clear()  # the tracking throttle lives in the cache, which outlives a test's database
    yield
    cache.clear()


def resolved(world) -> Case:
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    return resolve(case, Actor(user=world.alice), "Recolectada el martes.")


def closed_by_the_job(world) -> Case:
    """Resolved 20 days ago: past the 15-day reopen window, within the 30-day survey window."""
    case = resolved(world)
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=20))
    assert auto_close_resolved() == 1
    return Case.objects.get(pk=case.pk)


def survey_url(case, prefix: str = SPANISH, step: str = "") -> str:
    return f"{prefix}/encuesta/{case.tracking_token}/{step}"


def rating_url(case, prefix: str = SPANISH, solved: str = "si") -> str:
    return survey_url(case, prefix, "valoracion/") + f"?resuelto={solved}"


def rate(client, case, prefix: str = SPANISH, solved: str = "si", **answers):
    data = {"resuelto": solved, "satisfaction": "4", **answers}
    return client.post(survey_url(case, prefix, "valoracion/"), data, follow=True)


def events(case) -> list[str]:
    return list(CaseEvent.objects.filter(case=case).order_by("created_at", "pk").values_list("kind", flat=True))


# --- The first question ---------------------------------------------------------------------------


def test_the_survey_starts_with_one_question_in_spanish(client, world):
    html = client.get(survey_url(resolved(world))).content.decode()

    assert "<title>¿Se resolvió el problema?" in html
    assert html.count('name="solved"') == 2 and 'name="satisfaction"' not in html
    assert "Si responde que sí, el caso se cerrará" in html
    assert "Recolectada el martes." in html  # the institution's answer, to judge it by
    assert "Continuar" in html


def test_the_survey_starts_with_one_question_in_english(client, world):
    html = client.get(survey_url(resolved(world), ENGLISH)).content.decode()

    assert "Was the problem solved?" in html and "If you answer yes, the case will be closed" in html
    assert html.count('name="solved"') == 2 and 'name="satisfaction"' not in html


@LANGUAGES
def test_no_answer_to_the_first_question_is_refused_and_nothing_changes(client, world, prefix):
    case = resolved(world)
    before = events(case)

    html = client.post(survey_url(case, prefix), {"solved": "maybe"}).content.decode()

    assert 'href="#solved"' in html and "govuk-error-summary" in html
    assert ("Indique si el problema se resolvió." if prefix == SPANISH else "Say whether the problem was solved.") in html
    assert Case.objects.get(pk=case.pk).state == State.RESOLVED and events(case) == before


# --- Yes: the citizen closes the case, then rates it ----------------------------------------------


@LANGUAGES
def test_yes_closes_the_resolved_case_as_the_citizen_and_the_rating_is_recorded(client, world, prefix):
    case = resolved(world)

    response = client.post(survey_url(case, prefix), {"solved": "yes"}, follow=True)

    assert response.redirect_chain == [(rating_url(case, prefix, "si"), 302)]
    html = response.content.decode()
    assert CLOSED_THANKS[prefix] in html and 'name="satisfaction"' in html and 'name="solved"' not in html
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == State.CLOSED and fresh.closed_at is not None
    close = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.CLOSED).get()
    # The same service as the tracking page's "Yes, it is solved": the citizen (no staff actor), on the web.
    assert (close.actor, close.public, close.channel, close.from_state) == (None, True, "web", State.RESOLVED)

    rated = rate(client, case, prefix, "si", comment="Rápido y amable.", timeliness="4")

    answer = SurveyResponse.objects.get(case=case)
    assert (answer.satisfaction, answer.solved, answer.comment, answer.timeliness) == (4, True, "Rápido y amable.", 4)
    assert rated.redirect_chain[-1][0] == f"{prefix}/seguimiento/{case.tracking_token}/"
    assert ANSWER_THANKS[prefix] in rated.content.decode()
    assert events(case)[-2:] == ["close", "survey"]


def test_a_case_the_job_closed_still_takes_the_survey_and_is_not_closed_twice(client, world):
    case = closed_by_the_job(world)
    closes = events(case).count("close")

    response = client.post(survey_url(case), {"solved": "yes"}, follow=True)
    rate(client, case, solved="si", satisfaction="5")

    assert "Gracias. El caso está cerrado." not in response.content.decode()
    assert events(case).count("close") == closes == 1
    assert SurveyResponse.objects.get(case=case).solved is True


def test_the_rating_page_with_yes_for_a_case_still_resolved_sends_back_to_the_first_question(client, world):
    case = resolved(world)

    shown = client.get(rating_url(case, solved="si"))
    posted = client.post(survey_url(case, step="valoracion/"), {"resuelto": "si", "satisfaction": "5"})
    without_answer = client.get(survey_url(case, step="valoracion/"))

    for response in (shown, posted, without_answer):
        assert response.status_code == 302 and response["Location"] == survey_url(case)
    assert Case.objects.get(pk=case.pk).state == State.RESOLVED and not SurveyResponse.objects.exists()


# --- No: the survey offers reopening instead of closing --------------------------------------------


@LANGUAGES
def test_no_offers_to_reopen_and_reopening_goes_back_to_work_without_recording_a_rating(client, world, prefix):
    case = resolved(world)

    offer = client.post(survey_url(case, prefix), {"solved": "no"}, follow=True)

    assert offer.redirect_chain == [(survey_url(case, prefix, "reabrir/"), 302)]
    html = offer.content.decode()
    assert ("No está resuelto: reabrir el caso" if prefix == SPANISH else "It is not solved: reopen the case") in html
    assert f'href="{rating_url(case, prefix, "no")}"' in html
    assert Case.objects.get(pk=case.pk).state == State.RESOLVED  # nothing happens until the citizen asks

    reopened = client.post(survey_url(case, prefix, "reabrir/"), {"reason": "Siguen las bolsas en la esquina."}, follow=True)

    assert reopened.redirect_chain[-1][0] == f"{prefix}/seguimiento/{case.tracking_token}/"
    assert REOPENED[prefix] in reopened.content.decode()
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.state == State.REOPENED
    event = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.REOPENED).get()
    assert (event.actor, event.channel, event.message) == (None, "web", "Siguen las bolsas en la esquina.")
    assert not SurveyResponse.objects.exists() and "close" not in events(case)
    # The survey waits for the next resolution.
    assert "cuando el caso se resuelva" in client.get(survey_url(case)).content.decode()


def test_a_case_the_citizen_closed_on_the_tracking_page_can_still_be_reopened_from_the_survey(client, world):
    case = resolved(world)
    client.post(f"/seguimiento/{case.tracking_token}/resuelto/")
    assert Case.objects.get(pk=case.pk).state == State.CLOSED

    page = client.get(survey_url(case)).content.decode()
    client.post(survey_url(case), {"solved": "no"})
    client.post(survey_url(case, step="reabrir/"), {"reason": "Volvieron a dejar la basura."})

    assert "Si responde que no, podrá pedir que el caso se reabra hasta el" in page
    assert "el caso se cerrará" not in page
    assert Case.objects.get(pk=case.pk).state == State.REOPENED
    assert events(case)[-2:] == ["close", "reopen"]


@LANGUAGES
def test_reopening_from_the_survey_needs_a_reason(client, world, prefix):
    case = resolved(world)

    html = client.post(survey_url(case, prefix, "reabrir/"), {"reason": "  "}).content.decode()

    assert 'href="#reason"' in html
    assert ("Cuéntenos qué sigue sin resolverse." if prefix == SPANISH else "Tell us what is still not solved.") in html
    assert Case.objects.get(pk=case.pk).state == State.RESOLVED


def test_no_without_reopening_records_the_rating_and_leaves_the_case_resolved(client, world):
    case = resolved(world)
    client.post(survey_url(case), {"solved": "no"})

    page = client.get(rating_url(case, solved="no")).content.decode()
    rated = rate(client, case, solved="no", satisfaction="2")

    assert '<input type="hidden" name="resuelto" value="no">' in page
    assert "Gracias por responder" in rated.content.decode()
    answer = SurveyResponse.objects.get(case=case)
    assert (answer.satisfaction, answer.solved) == (2, False)
    assert Case.objects.get(pk=case.pk).state == State.RESOLVED and "close" not in events(case)


@LANGUAGES
def test_no_on_a_case_past_its_reopen_window_says_so_and_goes_on_to_the_rating(client, world, prefix):
    case = closed_by_the_job(world)

    page = client.post(survey_url(case, prefix), {"solved": "no"}, follow=True).content.decode()
    refused = client.post(survey_url(case, prefix, "reabrir/"), {"reason": "Sigue igual."})

    assert ("El caso ya no se puede reabrir" if prefix == SPANISH else "The case can no longer be reopened") in page
    assert 'name="reason"' not in page and f'href="{prefix}/reportar/"' in page
    assert f'href="{rating_url(case, prefix, "no")}"' in page
    assert refused.status_code == 200 and Case.objects.get(pk=case.pk).state == State.CLOSED
    rate(client, case, prefix, "no", satisfaction="1")
    assert SurveyResponse.objects.get(case=case).solved is False


# --- When the survey is not available ---------------------------------------------------------------


def test_a_second_answer_is_refused_with_a_clear_message_and_nothing_stored(client, world):
    case = resolved(world)
    client.post(survey_url(case), {"solved": "yes"})
    rate(client, case, solved="si", satisfaction="5")

    again = client.post(survey_url(case, step="valoracion/"), {"resuelto": "si", "satisfaction": "1"})
    first_question = client.post(survey_url(case), {"solved": "no"})

    assert "govuk-error-summary" in again.content.decode() and "govuk-error-summary" in first_question.content.decode()
    assert SurveyResponse.objects.get(case=case).satisfaction == 5
    for url in (survey_url(case), rating_url(case, solved="si")):
        assert "ya fue respondida" in client.get(url).content.decode()
    assert client.get(survey_url(case, step="reabrir/"))["Location"] == survey_url(case)


def test_the_tracking_page_stops_offering_the_survey_once_answered(client, world):
    case = resolved(world)
    client.post(survey_url(case), {"solved": "yes"})
    rate(client, case)

    assert f"/encuesta/{case.tracking_token}/" not in client.get(f"/seguimiento/{case.tracking_token}/").content.decode()


@LANGUAGES
def test_a_case_still_open_can_be_neither_closed_nor_rated_nor_reopened_from_the_survey(client, world, prefix):
    case = new_case(world, world.rubbish)
    before = events(case)

    page = client.get(survey_url(case, prefix)).content.decode()
    answered = client.post(survey_url(case, prefix), {"solved": "yes"})
    rated = client.post(survey_url(case, prefix, "valoracion/"), {"resuelto": "no", "satisfaction": "5"})
    reopen = client.get(survey_url(case, prefix, "reabrir/"))

    assert ("cuando el caso se resuelva" if prefix == SPANISH else "when the case is resolved") in page
    assert 'name="solved"' not in page
    assert "govuk-error-summary" in answered.content.decode() and "govuk-error-summary" in rated.content.decode()
    assert reopen.status_code == 302
    assert Case.objects.get(pk=case.pk).state == State.RECEIVED and events(case) == before
    assert not SurveyResponse.objects.exists()


def test_past_the_survey_window_the_survey_says_its_time_has_passed(client, world, settings):
    case = closed_by_the_job(world)
    settings.SURVEY_WINDOW_DAYS = 10

    html = client.get(survey_url(case)).content.decode()

    assert "El plazo para responder esta encuesta ya terminó." in html and 'name="solved"' not in html


@pytest.mark.parametrize(
    "answer, field",
    [
        ({}, "satisfaction"),
        ({"satisfaction": "9"}, "satisfaction"),
        ({"satisfaction": "3", "comment": "x" * 2001}, "comment"),
    ],
)
def test_an_incomplete_or_malformed_rating_is_refused(client, world, answer, field):
    case = resolved(world)

    html = client.post(survey_url(case, step="valoracion/"), {"resuelto": "no", **answer}).content.decode()

    assert f'href="#{field}"' in html
    assert not SurveyResponse.objects.exists()


def test_the_rating_is_in_english_under_en(client, world):
    html = client.get(rating_url(resolved(world), ENGLISH, "no")).content.decode()

    assert "How was the service?" in html and "Very satisfied" in html
    assert html.count('name="satisfaction"') == 5 and 'name="comment"' in html and 'data-maxlength="2000"' in html


@pytest.mark.parametrize("step", ["", "valoracion/?resuelto=si", "reabrir/"])
def test_a_guessed_survey_token_is_not_found(client, world, step):
    response = client.get(f"/encuesta/adivinado/{step}")

    assert response.status_code == 404 and "No encontramos ese caso" in response.content.decode()
    assert client.post(f"/en/encuesta/adivinado/{step.split('?')[0]}", {"solved": "yes"}).status_code == 404
