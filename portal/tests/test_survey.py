"""The satisfaction survey: once the case is resolved, one answer per case, nothing stored otherwise."""

from __future__ import annotations

import pytest

from cases.models import CaseEvent, SurveyResponse
from cases.services import Actor, resolve, transition
from ventanilla.testing import new_case


def resolved(world):
    case = new_case(world, world.rubbish)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    return resolve(case, Actor(user=world.alice), "Recolectada.")


def survey_url(case, prefix: str = "") -> str:
    return f"{prefix}/encuesta/{case.tracking_token}/"


def test_the_survey_asks_three_questions_in_spanish(client, world):
    html = client.get(survey_url(resolved(world))).content.decode()

    assert "¿Se resolvió el problema?" in html
    assert html.count('name="satisfaction"') == 5 and html.count('name="solved"') == 2
    assert 'name="comment"' in html and 'data-maxlength="2000"' in html


def test_an_answer_is_recorded_once_and_thanked(client, world):
    case = resolved(world)

    response = client.post(survey_url(case), {"satisfaction": "4", "solved": "yes", "comment": "Rápido y amable."}, follow=True)

    answer = SurveyResponse.objects.get(case=case)
    assert (answer.satisfaction, answer.solved, answer.comment) == (4, True, "Rápido y amable.")
    assert case.events.filter(kind=CaseEvent.Kind.SURVEY).count() == 1
    assert response.redirect_chain[-1][0] == f"/seguimiento/{case.tracking_token}/"
    assert "Gracias por responder" in response.content.decode()


def test_a_second_answer_is_refused_with_a_clear_message_and_nothing_stored(client, world):
    case = resolved(world)
    client.post(survey_url(case), {"satisfaction": "5", "solved": "yes"})

    again = client.post(survey_url(case), {"satisfaction": "1", "solved": "no", "comment": "Otra vez"})

    assert "govuk-error-summary" in again.content.decode()
    assert SurveyResponse.objects.filter(case=case).count() == 1
    assert SurveyResponse.objects.get(case=case).satisfaction == 5
    assert "ya fue respondida" in client.get(survey_url(case)).content.decode()


def test_the_tracking_page_stops_offering_the_survey_once_answered(client, world):
    case = resolved(world)
    client.post(survey_url(case), {"satisfaction": "5", "solved": "yes"})

    assert survey_url(case) not in client.get(f"/seguimiento/{case.tracking_token}/").content.decode()


def test_a_case_still_open_cannot_be_rated(client, world):
    case = new_case(world, world.rubbish)

    page = client.get(survey_url(case)).content.decode()
    response = client.post(survey_url(case), {"satisfaction": "5", "solved": "yes"})

    assert "cuando el caso se resuelva" in page and 'name="satisfaction"' not in page
    assert "govuk-error-summary" in response.content.decode()
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize(
    "answer, field",
    [
        ({"solved": "yes"}, "satisfaction"),
        ({"satisfaction": "9", "solved": "yes"}, "satisfaction"),
        ({"satisfaction": "3"}, "solved"),
        ({"satisfaction": "3", "solved": "yes", "comment": "x" * 2001}, "comment"),
    ],
)
def test_an_incomplete_or_malformed_answer_is_refused(client, world, answer, field):
    html = client.post(survey_url(resolved(world)), answer).content.decode()

    assert f'href="#{field}"' in html
    assert not SurveyResponse.objects.exists()


def test_the_survey_is_in_english_under_en(client, world):
    html = client.get(survey_url(resolved(world), "/en")).content.decode()

    assert "Was the problem solved?" in html and "Very satisfied" in html


def test_a_guessed_survey_token_is_not_found(client, world):
    assert client.get("/encuesta/adivinado/").status_code == 404
