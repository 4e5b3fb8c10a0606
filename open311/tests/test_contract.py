"""Every endpoint in both formats has the spec's structure and field order, UTF-8 and W3C datetimes."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

import pytest

from open311.tests import spec_shapes
from open311.tests.helpers import API, FORMATS, form, items, parse, post
from ventanilla.testing import new_case

W3C = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d[+-]\d\d:\d\d$")


def shape_of(response, fmt: str) -> list[str]:
    body = parse(response, fmt)
    if fmt == "json":
        first = body[0] if isinstance(body, list) else body
        return list(first)
    return [child.tag for child in spec_shapes.first_item(body)]


def xml_tree(element: ET.Element) -> tuple:
    """Tag names and nesting, values left out, repeated list items collapsed to the first."""
    children = []
    for child in element:
        if children and children[-1][0] == child.tag:
            continue
        children.append(xml_tree(child))
    return (element.tag, tuple(children))


@pytest.mark.parametrize("fmt", FORMATS)
def test_discovery_lists_this_endpoint_with_both_formats(client, world, fmt):
    response = client.get(f"{API}/discovery.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt)
    assert shape_of(response, fmt) == spec_shapes.tags(spec_shapes.DISCOVERY)
    if fmt == "json":
        endpoint = body["endpoints"][0]
        assert list(endpoint) == ["specification", "url", "changeset", "type", "formats"]
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert endpoint["url"] == "http://testserver/open311/v2"
    else:
        assert xml_tree(body) == xml_tree(ET.fromstring(spec_shapes.DISCOVERY))
        assert [f.text for f in body.iter("format")] == ["text/xml", "application/json"]
        assert body.findtext("endpoints/endpoint/url") == "http://testserver/open311/v2"


@pytest.mark.parametrize("fmt", FORMATS)
def test_services_have_the_spec_fields_in_order(client, world, fmt):
    response = client.get(f"{API}/services.{fmt}")
    assert response.status_code == 200
    assert shape_of(response, fmt) == spec_shapes.tags(spec_shapes.SERVICES)
    services = {s["service_code"]: s for s in items(response, fmt)}
    rubbish, water = services["BASURA-NO-RECOGIDA"], services["FALTA-AGUA"]
    true, false = (True, False) if fmt == "json" else ("true", "false")
    assert rubbish["metadata"] == true and water["metadata"] == false
    assert rubbish["type"] == "realtime"
    assert water["service_name"] == "Falta de agua"


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_names_follow_the_accept_language_header(client, world, fmt):
    response = client.get(f"{API}/services.{fmt}", HTTP_ACCEPT_LANGUAGE="en")
    names = {s["service_code"]: s["service_name"] for s in items(response, fmt)}
    assert names["FALTA-AGUA"] == "Water outage"


@pytest.mark.parametrize("fmt", FORMATS)
def test_service_definition_describes_attributes_like_the_spec(client, world, fmt):
    response = client.get(f"{API}/services/BASURA-NO-RECOGIDA.{fmt}")
    assert response.status_code == 200
    body = parse(response, fmt)
    if fmt == "json":
        assert list(body) == ["service_code", "attributes"]
        first, second = body["attributes"]
        assert list(first) == spec_shapes.tags(spec_shapes.SERVICE_DEFINITION.split("<attributes>")[1].split("</attributes>")[0])
        assert first["code"] == "tipo_desecho" and first["datatype"] == "singlevaluelist" and first["required"] is True
        assert first["order"] == 1 and second["order"] == 2
        assert first["values"] == [{"key": "domestico", "name": "Doméstico"}, {"key": "voluminoso", "name": "Voluminoso"}]
        assert second["datatype"] == "number" and "values" not in second
    else:
        assert xml_tree(body) == xml_tree(ET.fromstring(spec_shapes.SERVICE_DEFINITION))
        attribute = body.find("attributes/attribute")
        assert attribute.findtext("variable") == "true" and attribute.findtext("required") == "true"
        assert [v.findtext("key") for v in attribute.iter("value")] == ["domestico", "voluminoso"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_service_without_questions_has_an_empty_attribute_list(client, world, fmt):
    body = parse(client.get(f"{API}/services/FALTA-AGUA.{fmt}"), fmt)
    if fmt == "json":
        assert body == {"service_code": "FALTA-AGUA", "attributes": []}
    else:
        assert body.findtext("service_code") == "FALTA-AGUA" and len(body.find("attributes")) == 0


@pytest.mark.parametrize("fmt", FORMATS)
def test_post_answers_with_the_spec_fields(client, world, api_key, fmt):
    response = post(client, fmt, form(world, api_key=api_key.raw))
    assert response.status_code == 200, response.content
    assert shape_of(response, fmt) == spec_shapes.tags(spec_shapes.POST_RESPONSE)
    (receipt,) = items(response, fmt)
    assert re.match(r"^\d{4}-\d{6}$", receipt["service_request_id"])
    assert receipt["token"] and receipt["account_id"] is None


@pytest.mark.parametrize("fmt", FORMATS)
def test_requests_have_the_spec_fields_in_order(client, world, fmt):
    case = new_case(world)
    response = client.get(f"{API}/requests.{fmt}")
    assert response.status_code == 200
    assert shape_of(response, fmt) == spec_shapes.tags(spec_shapes.REQUESTS)
    (request,) = items(response, fmt)
    assert request["service_request_id"] == case.number
    assert request["status"] == "open"
    assert request["service_code"] == "FALTA-AGUA" and request["service_name"] == "Falta de agua"
    assert request["agency_responsible"] == world.idaan.name
    for name in ("requested_datetime", "updated_datetime", "expected_datetime"):
        assert W3C.match(request[name]), request[name]
    assert request["requested_datetime"].endswith("-05:00")
    assert float(request["lat"]) == case.lat and float(request["long"]) == case.lon


@pytest.mark.parametrize("fmt", FORMATS)
def test_one_request_is_a_list_of_one_with_the_same_fields(client, world, fmt):
    case = new_case(world)
    response = client.get(f"{API}/requests/{case.number}.{fmt}")
    assert response.status_code == 200
    assert shape_of(response, fmt) == spec_shapes.tags(spec_shapes.REQUESTS)
    assert [r["service_request_id"] for r in items(response, fmt)] == [case.number]


@pytest.mark.parametrize("fmt", FORMATS)
def test_token_lookup_has_the_spec_fields(client, world, api_key, fmt):
    (receipt,) = items(post(client, fmt, form(world, api_key=api_key.raw)), fmt)
    response = client.get(f"{API}/tokens/{receipt['token']}.{fmt}")
    assert response.status_code == 200
    assert shape_of(response, fmt) == spec_shapes.tags(spec_shapes.TOKEN)
    assert items(response, fmt) == [{"service_request_id": receipt["service_request_id"], "token": receipt["token"]}]


@pytest.mark.parametrize("fmt", FORMATS)
def test_errors_have_the_spec_shape(client, world, fmt):
    response = client.get(f"{API}/requests/1999-000001.{fmt}")
    assert response.status_code == 404
    assert shape_of(response, fmt) == spec_shapes.tags(spec_shapes.ERRORS)


def test_xml_empty_values_are_empty_elements_and_json_nulls(client, world):
    new_case(world)
    (as_json,) = parse(client.get(f"{API}/requests.json"), "json")
    request = parse(client.get(f"{API}/requests.xml"), "xml")[0]
    assert as_json["service_notice"] is None and as_json["address_id"] is None and as_json["zipcode"] is None
    assert request.find("service_notice").text is None
    assert b"<service_notice></service_notice>" in client.get(f"{API}/requests.xml").content
