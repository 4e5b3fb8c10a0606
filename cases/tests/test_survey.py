import datetime as dt

import pytest
from django.utils import timezone

from cases.models import Case, SurveyResponse
from cases.services import Actor, SurveyNotAvailable, resolve, submit_survey, transition
from ventanilla.testing import new_case


def resolved_case(world):
    case = new_case(world, world.water)
    actor = Actor(user=world.agent)
    transition(case, "assign", actor)
    return resolve(case, actor, "Se restableció el servicio en la zona.")


def test_a_resolved_case_takes_one_survey_answer(world):
    case = resolved_case(world)
    submit_survey(case, 4, True, "Rápido.")
    with pytest.raises(SurveyNotAvailable):
        submit_survey(case, 1, False)
    assert SurveyResponse.objects.get(case=case).satisfaction == 4


def test_an_open_case_cannot_be_surveyed(world):
    with pytest.raises(SurveyNotAvailable):
        submit_survey(new_case(world, world.water), 5, True)
    assert SurveyResponse.objects.count() == 0


def test_the_survey_closes_after_the_configured_window(world, settings):
    settings.SURVEY_WINDOW_DAYS = 30
    case = resolved_case(world)
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - dt.timedelta(days=31))
    with pytest.raises(SurveyNotAvailable):
        submit_survey(case, 5, True)
    settings.SURVEY_WINDOW_DAYS = 40
    submit_survey(case, 5, True)
    assert SurveyResponse.objects.filter(case=case).exists()
