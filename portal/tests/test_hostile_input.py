"""Hostile values in every field of the portal's forms (report, complaint, tracking look-up, reply,
survey), which have no OpenAPI document: never a 5xx, an HTML answer (the form again with its errors,
or a refusal page), and nothing stored when refused."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings as hypothesis_settings, strategies as st

from cases.models import Attachment, Case, CaseContact, CaseEvent, SurveyResponse
from ventanilla.hostile import hostile_number, hostile_value
from ventanilla.testing import new_case

PROPERTY = hypothesis_settings(
    max_examples=30, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
REPORT_FIELDS = ["description", "lat", "lon", "address", "district", "location", "contact_name", "contact_email",
                 "contact_phone", "anonymous", "attr_tipo_desecho", "attr_dias_sin_recoleccion", "attr_otro"]
COMPLAINT_FIELDS = ["category_code", "description", "lat", "lon", "address", "district", "location"]


def stored() -> tuple[int, ...]:
    return (Case.objects.count(), CaseContact.objects.count(), Attachment.objects.count(),
            CaseEvent.objects.count(), SurveyResponse.objects.count())


def assert_html_answer(response, before) -> None:
    assert response.status_code < 500, response.content[:300]
    if response.status_code in (301, 302):
        return  # accepted: the value was harmless and the case was filed
    assert response["Content-Type"].startswith("text/html"), response["Content-Type"]
    assert stored() == before


@PROPERTY
@example(field="attr_dias_sin_recoleccion", value="1e999999999", repeat=False)
@example(field="lat", value="9" * 5000, repeat=False)
@given(field=st.sampled_from(REPORT_FIELDS), value=hostile_value(), repeat=st.booleans())
def test_the_report_form_answers_any_value_with_html(world, field, value, repeat):
    data = {"description": "La basura lleva una semana en la esquina.", "attr_tipo_desecho": "domestico",
            "lat": "9.03", "lon": "-79.51"}
    data[field] = [value, value] if repeat else value
    before = stored()
    response = Client().post(f"/reportar/{world.rubbish.code}/", data)
    assert_html_answer(response, before)


@PROPERTY
@given(number=hostile_number())
def test_extreme_numbers_in_the_number_question_are_a_form_error(world, number):
    data = {"description": "La basura lleva una semana.", "attr_tipo_desecho": "domestico",
            "attr_dias_sin_recoleccion": number, "lat": "9.03", "lon": "-79.51"}
    before = stored()
    response = Client().post(f"/reportar/{world.rubbish.code}/", data)
    assert_html_answer(response, before)


@PROPERTY
@given(field=st.sampled_from(COMPLAINT_FIELDS), value=hostile_value())
def test_the_complaint_form_answers_any_value_with_html(world, field, value):
    data = {"category_code": world.corruption.code, "description": "El funcionario pide dinero."}
    data[field] = value
    before = stored()
    response = Client().post("/denuncia/", data)
    assert_html_answer(response, before)


@PROPERTY
@given(code=hostile_value(), number=hostile_value())
def test_the_tracking_lookup_answers_any_value_with_html(world, settings, code, number):
    settings.TRACKING_LOOKUP_FAILURES_PER_HOUR = 1_000_000
    before = stored()
    response = Client().post("/seguimiento/", {"code": code, "number": number})
    assert_html_answer(response, before)


@PROPERTY
@given(satisfaction=hostile_value(), solved=hostile_value(), comment=hostile_value())
def test_the_survey_answers_any_value_with_html(world, satisfaction, solved, comment):
    case = Case.objects.filter(description="Para la encuesta.").first() or new_case(world, description="Para la encuesta.")
    before = stored()
    response = Client().post(f"/encuesta/{case.tracking_token}/", {"satisfaction": satisfaction, "solved": solved, "comment": comment})
    assert response.status_code < 500
    assert stored()[:4] == before[:4]


def resolved_case(world) -> Case:
    from cases.services import Actor, resolve, transition

    case = Case.objects.filter(description="Resuelto, para la encuesta.").first()
    if case is None:
        case = new_case(world, description="Resuelto, para la encuesta.")
        transition(case, "assign", Actor(world.agent))
        resolve(case, Actor(world.agent), "Restablecido.")
    return Case.objects.get(pk=case.pk)


@PROPERTY
@given(step=st.sampled_from(["", "valoracion/", "reabrir/"]), solved=hostile_value(), satisfaction=hostile_value(),
       text=hostile_value())
def test_every_survey_page_answers_any_value_with_html(world, step, solved, satisfaction, text):
    case = resolved_case(world)
    data = {"solved": solved, "resuelto": solved, "satisfaction": satisfaction, "comment": text, "reason": text}
    response = Client().post(f"/encuesta/{case.tracking_token}/{step}", data)
    assert response.status_code < 500, response.content[:300]
    if response.status_code not in (301, 302):
        assert response["Content-Type"].startswith("text/html"), response["Content-Type"]


@pytest.mark.parametrize("path", ["/denuncia/", "/reportar/BASURA-NO-RECOGIDA/", "/seguimiento/"])
def test_framework_refusals_are_html_pages_in_the_sites_layout(world, settings, path):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 20
    too_many = Client().post(path, {f"f{i}": "x" for i in range(30)})
    bad_utf8 = Client().post(path, b"description=Agua%FF", content_type="application/x-www-form-urlencoded")
    broken = Client().post(path, b"--x\r\n\r\n", content_type="multipart/form-data; boundary=")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
    too_big = Client().post(path, "description=" + "a" * 1000, content_type="application/x-www-form-urlencoded")

    for response, status in ((too_many, 400), (bad_utf8, 400), (broken, 400), (too_big, 413)):
        assert response.status_code == status
        html = response.content.decode()
        assert "No se pudo enviar su solicitud" in html and 'href="/static/css/ventanilla.css"' in html
    assert stored() == (0, 0, 0, 0, 0)
