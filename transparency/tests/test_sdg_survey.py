"""The optional SDG 16.6.2 part of the satisfaction survey, through the portal form."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from cases.models import SurveyResponse
from cases.services import Actor, resolve, submit_survey, transition
from ventanilla.testing import new_case


def resolved(world):
    case = new_case(world, world.water)
    transition(case, "assign", Actor(world.agent))
    return resolve(case, Actor(world.agent), "Restablecido.")


def rating_page(client, case) -> str:
    """The survey's first question answered "yes" (the case closes), which leads to the rating."""
    response = client.post(f"/encuesta/{case.tracking_token}/", {"solved": "yes"})
    assert response.status_code == 302
    return response["Location"].split("?")[0]


def test_the_survey_offers_five_statements_on_a_four_point_scale_with_dont_know(client, world):
    case = resolved(world)
    html = client.get(rating_page(client, case) + "?resuelto=si").content.decode()

    for name in SurveyResponse.SDG_ATTRIBUTES:
        assert html.count(f'name="{name}"') == 5  # four points and "don't know", no neutral option
    assert "No sabe / no aplica" in html


def test_sdg_answers_are_recorded_and_may_be_left_out(client, world):
    case = resolved(world)

    client.post(rating_page(client, case), {"resuelto": "si", "satisfaction": "4", "accessibility": "4",
                                            "affordability": "0", "timeliness": "1"})  # fmt: skip

    answer = SurveyResponse.objects.get(case=case)
    assert (answer.accessibility, answer.affordability, answer.timeliness) == (4, 0, 1)
    assert (answer.equal_treatment, answer.effective_delivery) == (None, None)


def test_an_answer_outside_the_scale_is_refused_and_nothing_is_stored(client, world):
    case = resolved(world)

    response = client.post(rating_page(client, case), {"resuelto": "si", "satisfaction": "4", "timeliness": "7"})

    assert response.status_code == 200 and not SurveyResponse.objects.filter(case=case).exists()
    with pytest.raises(ValidationError):
        submit_survey(case, 4, True, sdg={"timeliness": 9})
    with pytest.raises(ValidationError):
        submit_survey(case, 4, True, sdg={"kindness": 4})
    assert not SurveyResponse.objects.filter(case=case).exists()
