"""Hostile values in every field of an Open311 POST, in both formats, and hostile bodies: never a 5xx,
the error is a GeoReport error document in the format the URL asked for, and nothing is stored."""

from __future__ import annotations

import pytest
from django.test import Client
from hypothesis import HealthCheck, example, given, settings as hypothesis_settings, strategies as st

from cases.models import Attachment, Case, CaseContact
from open311.tests.helpers import API, FORMATS, errors, form, parse
from ventanilla.hostile import hostile_number, hostile_value

FIELDS = [
    "service_code", "lat", "long", "address_string", "description", "first_name", "last_name", "email", "phone",
    "device_id", "client_request_id", "media_url", "locale", "jurisdiction_id", "address_id",
    "attribute[tipo_desecho]", "attribute[dias_sin_recoleccion]", "attribute[no_existe]", "attribute[tipo_desecho][]",
]
PROPERTY = hypothesis_settings(
    max_examples=40, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@pytest.fixture
def open311_world(world, api_key, settings):
    settings.OPEN311_POSTS_PER_MINUTE = 1_000_000
    return world


def stored() -> tuple[int, int, int]:
    return Case.objects.count(), CaseContact.objects.count(), Attachment.objects.count()


def valid(world, api_key, **fields) -> dict:
    return form(world, service_code=world.rubbish.code, api_key=api_key.raw, **{"attribute[tipo_desecho]": "domestico"}, **fields)


def assert_answered_in_format(response, fmt: str, before: tuple) -> None:
    assert response.status_code < 500, response.content[:500]
    body = parse(response, fmt)  # checks the content type and that the document parses
    if response.status_code >= 400:
        assert errors(response, fmt), response.content[:500]
        assert stored() == before
    else:
        assert response.status_code == 200 and body is not None


@PROPERTY
@given(fmt=st.sampled_from(FORMATS), field=st.sampled_from(FIELDS), value=hostile_value(), repeat=st.booleans())
def test_a_hostile_value_in_any_field_is_refused_in_the_callers_format(open311_world, api_key, fmt, field, value, repeat):
    data = valid(open311_world, api_key)
    data[field] = [value, value] if repeat else value
    before = stored()
    response = Client().post(f"{API}/requests.{fmt}", data)
    assert_answered_in_format(response, fmt, before)


@PROPERTY
@example(fmt="json", number="1e999999999")
@example(fmt="xml", number="-1E+1000000000000000000")
@example(fmt="json", number="9" * 5000)
@given(fmt=st.sampled_from(FORMATS), number=hostile_number())
def test_extreme_numbers_in_a_number_attribute_never_crash_validation(open311_world, api_key, fmt, number):
    before = stored()
    response = Client().post(f"{API}/requests.{fmt}", valid(open311_world, api_key, **{"attribute[dias_sin_recoleccion]": number}))
    assert_answered_in_format(response, fmt, before)


@PROPERTY
@given(fmt=st.sampled_from(FORMATS), body=st.binary(max_size=400))
def test_any_form_encoded_body_is_answered_in_the_callers_format(open311_world, api_key, fmt, body):
    before = stored()
    response = Client().post(f"{API}/requests.{fmt}", body, content_type="application/x-www-form-urlencoded")
    assert_answered_in_format(response, fmt, before)


@PROPERTY
@example(fmt="json", name="page", value="²")
@example(fmt="xml", name="page_size", value="9" * 5000)
@given(fmt=st.sampled_from(FORMATS), name=st.sampled_from(["page", "page_size", "start_date", "status", "service_request_id"]), value=hostile_value())
def test_hostile_query_arguments_are_refused_in_the_callers_format(open311_world, fmt, name, value):
    response = Client().get(f"{API}/requests.{fmt}", {name: value})
    assert_answered_in_format(response, fmt, stored())


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_utf8_in_a_form_body_is_refused_not_stored_with_replacement_characters(open311_world, api_key, fmt):
    body = f"service_code={open311_world.water.code}&lat=9.03&long=-79.51&api_key={api_key.raw}&description=Agua%FF%FE".encode()
    response = Client().post(f"{API}/requests.{fmt}", body, content_type="application/x-www-form-urlencoded")

    assert response.status_code == 400
    assert "UTF-8" in errors(response, fmt)[0][1]
    assert Case.objects.count() == 0


def test_a_form_body_declared_in_another_charset_is_refused_with_a_clear_error(open311_world, api_key):
    body = f"service_code={open311_world.water.code}&lat=9.03&long=-79.51&api_key={api_key.raw}&description=Ca%F1o".encode()
    response = Client().post(f"{API}/requests.json", body, content_type="application/x-www-form-urlencoded; charset=latin-1")

    assert response.status_code == 400
    assert "UTF-8" in errors(response, "json")[0][1]
    assert Case.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_invalid_utf8_in_a_multipart_field_is_refused(open311_world, api_key, fmt):
    boundary = "xYzZY"
    parts = [("service_code", open311_world.water.code.encode()), ("lat", b"9.03"), ("long", b"-79.51"),
             ("api_key", api_key.raw.encode()), ("description", b"Agua \xff\xfe rota")]
    body = b"".join(
        b"--%s\r\nContent-Disposition: form-data; name=\"%s\"\r\n\r\n%s\r\n" % (boundary.encode(), name.encode(), value)
        for name, value in parts
    ) + b"--%s--\r\n" % boundary.encode()
    response = Client().post(f"{API}/requests.{fmt}", body, content_type=f"multipart/form-data; boundary={boundary}")

    assert response.status_code == 400
    assert Case.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_framework_refusals_come_as_georeport_errors(open311_world, api_key, settings, fmt):
    settings.DATA_UPLOAD_MAX_NUMBER_FIELDS = 50
    url = f"{API}/requests.{fmt}"
    too_many = Client().post(url, {f"f{i}": "x" for i in range(60)})
    broken = Client().post(url, b"--nope\r\n\r\n", content_type="multipart/form-data; boundary=")
    unknown_charset = Client().generic("POST", url, b"a=b", content_type="application/x-www-form-urlencoded; charset=klingon")
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    too_big = Client().post(url, "description=" + "a" * 2000, content_type="application/x-www-form-urlencoded")

    for response, status in ((too_many, 400), (broken, 400), (unknown_charset, 400), (too_big, 413)):
        assert response.status_code == status, response.content
        assert errors(response, fmt)[0][0] == status
    assert Case.objects.count() == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_nul_character_anywhere_is_refused_before_the_database_sees_it(open311_world, api_key, fmt):
    # PostgreSQL cannot even compare text holding NUL: without this refusal it would be a server error.
    before = stored()
    data = {**valid(open311_world, api_key), "service_code": "FALTA\x00AGUA"}
    posted = Client().post(f"{API}/requests.{fmt}", data)
    queried = Client().get(f"{API}/requests.{fmt}", {"service_request_id": "2026-\x00"})
    in_path = Client().get(f"{API}/requests/2026-%00.{fmt}")
    for response in (posted, queried, in_path):
        assert response.status_code == 400, response.content
        assert_answered_in_format(response, fmt, before)
