"""What Schemathesis cannot generate from the schema: bodies nested too deep, too large, not UTF-8,
numbers with extreme exponents inside attribute answers, and tampered cursors. Always a JSON 4xx,
nothing stored."""

from __future__ import annotations

import base64
import json

import pytest
from hypothesis import HealthCheck, example, given, settings as hypothesis_settings, strategies as st

from api.parsers import json_depth_exceeds
from cases.models import Case, CaseEvent
from ventanilla.hostile import hostile_number, hostile_value

PROPERTY = hypothesis_settings(
    max_examples=30, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
POST_ENDPOINTS = ["/api/v1/cases/", "/api/v1/cases/{number}/transitions/", "/api/v1/cases/{number}/comments/"]


def stored() -> tuple[int, int]:
    return Case.objects.count(), CaseEvent.objects.count()


def assert_json_refusal(response, before, status: int | None = None) -> dict:
    assert response.status_code < 500, response.content[:300]
    assert 400 <= response.status_code < 500, response.content[:300]
    if status is not None:
        assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json"), response.content[:300]
    assert stored() == before
    return json.loads(response.content)


def a_case(world, **fields) -> dict:
    body = {"category": world.rubbish.code, "description": "Basura acumulada.", "lat": 9.03, "lon": -79.51,
            "attributes": {"tipo_desecho": "domestico"}}
    body.update(fields)
    return body


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_json_nested_beyond_the_limit_is_a_400_not_a_crash(as_user, cases, endpoint):
    url = endpoint.format(number=cases.rubbish.number)
    before = stored()
    for body in ("[" * 100_000 + "]" * 100_000, '{"a":' * 50_000 + "1" + "}" * 50_000):
        response = as_user("supervisor").post(url, body, content_type="application/json", HTTP_ACCEPT_LANGUAGE="en")
        assert "nested deeper than 10 levels" in assert_json_refusal(response, before, 400)["detail"]


def test_nested_objects_as_attribute_answers_are_a_field_error(as_user, world):
    before = stored()
    body = a_case(world, attributes={"tipo_desecho": {"a": {"b": [1, {"c": 2}]}}, "dias_sin_recoleccion": [[1]]})
    response = as_user("supervisor").post("/api/v1/cases/", body, format="json")
    errors = assert_json_refusal(response, before, 400)
    assert set(errors["attributes"]) == {"tipo_desecho", "dias_sin_recoleccion"}


@PROPERTY
@example(number="1e999999999")
@example(number="-1E+1000000000000000000")
@example(number="9" * 5000)
@given(number=st.one_of(hostile_number(), st.integers(min_value=-(10**300), max_value=10**300)))
def test_extreme_numbers_in_a_number_attribute_are_refused_as_json(as_user, world, number):
    before = stored()
    body = json.dumps(a_case(world, attributes={"tipo_desecho": "domestico", "dias_sin_recoleccion": number}))
    response = as_user("supervisor").post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code < 500, response.content[:300]
    if response.status_code != 201:
        assert_json_refusal(response, before)


@PROPERTY
@given(field=st.sampled_from(["lat", "lon"]), raw=st.sampled_from(["1e999", "-1e999", "1" * 5000, "1e-99999", "NaN", "Infinity"]))
def test_extreme_coordinates_written_as_json_numbers_are_refused(as_user, world, field, raw):
    before = stored()
    body = json.dumps(a_case(world)).replace(f'"{field}": {9.03 if field == "lat" else -79.51}', f'"{field}": {raw}')
    assert raw in body
    response = as_user("supervisor").post("/api/v1/cases/", body, content_type="application/json")
    assert response.status_code < 500, response.content[:300]
    if response.status_code != 201:
        assert_json_refusal(response, before)


@PROPERTY
@given(body=st.binary(max_size=300))
def test_any_bytes_as_a_json_body_are_answered_with_json(as_user, cases, body):
    before = stored()
    response = as_user("supervisor").post(f"/api/v1/cases/{cases.rubbish.number}/comments/", body, content_type="application/json")
    assert response.status_code < 500
    assert response["Content-Type"].startswith("application/json")
    if response.status_code >= 400:
        assert stored() == before


def test_a_body_over_the_limit_is_a_json_413(as_user, world, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    before = stored()
    body = json.dumps(a_case(world, description="a" * 20_000))
    response = as_user("supervisor").post("/api/v1/cases/", body, content_type="application/json")
    assert assert_json_refusal(response, before, 413)["code"] == "too_large"


def test_invalid_utf8_json_is_a_json_400(as_user, world):
    before = stored()
    body = json.dumps(a_case(world)).encode().replace(b"Basura", b"Bas\xff\xfeura")
    response = as_user("supervisor").post("/api/v1/cases/", body, content_type="application/json")
    assert_json_refusal(response, before, 400)


def encoded(querystring: str) -> str:
    return base64.b64encode(querystring.encode()).decode()


@PROPERTY
@example(cursor=encoded("ok"))
@example(cursor=encoded("o=5&o=6"))
@example(cursor=encoded("x=1"))
@example(cursor=encoded("p=2026-01-01&r=2"))
@example(cursor=encoded("o=" + "9" * 5000))
@example(cursor=encoded("p=9999-12-31 23:59:59+00:00"))
@example(cursor="!!!" + encoded("o=1"))
@given(cursor=st.one_of(hostile_value(), st.text(max_size=40).map(encoded)))
def test_a_tampered_cursor_is_a_404_never_the_first_page(as_user, cases, cursor):
    for url in ("/api/v1/cases/", f"/api/v1/cases/{cases.rubbish.number}/timeline/", "/api/v1/categories/"):
        response = as_user("supervisor").get(url, {"cursor": cursor})
        # 400: a NUL character is refused before any view reads the query (ventanilla/refusals.py).
        assert response.status_code in (200, 400, 404), response.content[:300]
        assert response["Content-Type"].startswith("application/json")
        if response.status_code == 400:
            assert response.json()["code"] == "null_character"
        if response.status_code == 200:
            # Only a cursor DRF could have written is followed, and it is not the first page's absence.
            assert response.json()["previous"] is not None or response.json()["results"] == []


def test_a_cursor_the_api_wrote_is_followed(as_user, world, cases):
    first = as_user("supervisor").get("/api/v1/categories/").json()
    assert first["next"] is None or as_user("supervisor").get(first["next"]).status_code == 200


def test_the_depth_scan_ignores_brackets_inside_strings():
    assert not json_depth_exceeds(b'{"a": "[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["}', 3)
    assert not json_depth_exceeds(b'{"a": "\\"[[[[[[[[[[[["}', 3)
    assert json_depth_exceeds(b'{"a": [[[["x"]]]]}', 3)


# Every GET address of the API, the two outside the OpenAPI document (the schema and its docs page) included.
GET_ENDPOINTS = [
    "/api/v1/cases/", "/api/v1/cases/{number}/", "/api/v1/cases/{number}/timeline/", "/api/v1/categories/",
    "/api/v1/categories/BASURA-NO-RECOGIDA/", "/api/v1/entities/", "/api/v1/entities/MUNSM/", "/api/v1/procedures/",
    "/api/v1/procedures/search/", "/api/v1/schema/", "/api/v1/docs/",
]
QUERY_NAMES = ["cursor", "state", "category", "entity", "channel", "created_after", "updated_before", "overdue", "q",
               "theme", "format", "lang", "page", "page_size", "limit", "offset"]


@hypothesis_settings(PROPERTY, max_examples=20)
@example(endpoint="/api/v1/cases/", name="created_after", value="9999-12-31T23:59:59-14:00")
@example(endpoint="/api/v1/schema/", name="format", value="\x00")
@given(endpoint=st.sampled_from(GET_ENDPOINTS), name=st.sampled_from(QUERY_NAMES), value=hostile_value())
def test_hostile_query_arguments_on_every_get_endpoint_are_never_a_server_error(as_user, cases, endpoint, name, value):
    response = as_user("supervisor").get(endpoint.format(number=cases.rubbish.number), {name: value})
    assert response.status_code < 500, response.content[:300]
    if response.status_code >= 400 and endpoint != "/api/v1/docs/":
        # The schema answers in its own media types (OpenAPI YAML by default, or JSON).
        allowed = ("application/json", "application/vnd.oai.openapi") if endpoint == "/api/v1/schema/" else ("application/json",)
        assert response["Content-Type"].startswith(allowed), response["Content-Type"]
