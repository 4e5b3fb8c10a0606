"""Helpers for the Open311 tests: a valid POST, and parsers that keep the order of fields."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET

from cases.services import Actor, resolve, transition
from ventanilla.testing import SAN_MIGUELITO

API = "/open311/v2"
FORMATS = ["json", "xml"]


def form(world, **fields) -> dict:
    """A valid POST for the water outage service at San Miguelito; override any field."""
    data = {
        "service_code": world.water.code,
        "lat": str(SAN_MIGUELITO[0]),
        "long": str(SAN_MIGUELITO[1]),
        "description": "Sin agua desde ayer en toda la calle.",
    }
    data.update(fields)
    return {k: v for k, v in data.items() if v is not None}


def post(client, fmt: str, data: dict, **extra):
    return client.post(f"{API}/requests.{fmt}", data, **extra)


def parse(response, fmt: str):
    """JSON as Python values; XML as an Element (root)."""
    if fmt == "json":
        assert response["Content-Type"] == "application/json; charset=utf-8"
        return json.loads(response.content.decode("utf-8"))
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    assert response.content.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    return ET.fromstring(response.content)


def items(response, fmt: str) -> list[dict]:
    """Requests/services/errors as a list of dicts in document order, whatever the format (simple fields)."""
    body = parse(response, fmt)
    if fmt == "json":
        return body
    return [{child.tag: (child.text if len(child) == 0 else child) for child in item} for item in body]


def errors(response, fmt: str) -> list[tuple[int, str]]:
    body = parse(response, fmt)
    if fmt == "json":
        return [(error["code"], error["description"]) for error in body]
    assert body.tag == "errors"
    return [(int(error.findtext("code")), error.findtext("description")) for error in body.findall("error")]


def close_case(world, case, note: str = "Se reparó la tubería."):
    staff = Actor(channel="phone")
    transition(case, "assign", staff)
    return resolve(case, staff, note)
