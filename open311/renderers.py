"""One document, two formats: GeoReport v2 XML and its JSON twin (the Spark convention).

A document is built once from plain Python values (dicts keep the spec's field order, lists become
repeated child elements in XML and arrays in JSON), then rendered. XML goes through ElementTree, never
through string concatenation, so citizen text with `<`, `&` or emoji always comes out well-formed.
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from django.http import HttpResponse

FORMATS = ("json", "xml")
CONTENT_TYPES = {"json": "application/json; charset=utf-8", "xml": "text/xml; charset=utf-8"}
XML_DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'

# The element name of one item in each list, as the spec names them.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "errors": "error",
    "timeline": "event",
}

# XML 1.0 allows only these characters; anything else (most C0 controls, lone surrogates, U+FFFE/FFFF)
# makes the document unreadable for every parser, so it is dropped rather than escaped.
_NOT_XML_CHAR = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool):
        return "true" if value else "false"
    return _NOT_XML_CHAR.sub("", str(value))


@dataclass
class Document:
    """`root` is the XML root element; `body` a list (of items named ITEM_NAMES[root]) or a dict."""

    root: str
    body: list | dict


def _append(parent: ET.Element, name: str, value: Any) -> None:
    element = ET.SubElement(parent, name)
    _fill(element, name, value)


def _fill(element: ET.Element, name: str, value: Any) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _append(element, key, child)
    elif isinstance(value, (list, tuple)):
        item_name = ITEM_NAMES[name]
        for child in value:
            _append(element, item_name, child)
    else:
        element.text = xml_text(value)


def render_xml(document: Document) -> bytes:
    root = ET.Element(document.root)
    _fill(root, document.root, document.body)
    # Empty elements are written as <x></x>, as in the spec's examples, so naive clients cope too.
    return (XML_DECLARATION + ET.tostring(root, encoding="unicode", short_empty_elements=False)).encode("utf-8")


def render_json(document: Document) -> bytes:
    return json.dumps(document.body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def respond(document: Document, fmt: str, status: int = 200) -> HttpResponse:
    content = render_xml(document) if fmt == "xml" else render_json(document)
    return HttpResponse(content, status=status, content_type=CONTENT_TYPES[fmt])


def error_response(fmt: str, status: int, descriptions: list[str], code: int | None = None) -> HttpResponse:
    """`<errors><error><code>…</code><description>…</description></error></errors>` or its JSON array."""
    errors = [{"code": code or status, "description": description} for description in descriptions]
    return respond(Document("errors", errors), fmt, status=status)
