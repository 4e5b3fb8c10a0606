"""The REST API's JSON parser: depth bounded before the recursive parser sees the body.

Python's json module recurses once per nesting level; a body of 100,000 `[` crashes it with a
RecursionError (a server error), and deeply nested attribute objects do the same further on. No request
of this API nests more than a few levels (a case with its attributes and contact is three), so anything
deeper than API_JSON_MAX_DEPTH is refused with a 400 after one linear scan of the bytes.
"""

from __future__ import annotations

import json
import re

import numpy as np

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser

# A JSON string with its escapes (brackets inside strings nest nothing), and runs of non-brackets.
_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = re.compile(rb"[^\[\]{}]+")
_OPENING = (ord("["), ord("{"))


def json_depth_exceeds(body: bytes, limit: int) -> bool:
    """True when arrays/objects in `body` nest deeper than `limit`. Linear, no recursion: strings and
    everything but brackets are dropped by regular expressions, then numpy adds up +1/-1 per bracket."""
    if body.count(b"[") + body.count(b"{") <= limit:
        return False  # not enough brackets to nest that deep (the usual, small request)
    brackets = np.frombuffer(_NOT_BRACKET.sub(b"", _STRING.sub(b"", body)), dtype=np.uint8)
    steps = np.where((brackets == _OPENING[0]) | (brackets == _OPENING[1]), 1, -1).astype(np.int32)
    return bool(steps.size) and int(np.cumsum(steps, dtype=np.int32).max()) > limit


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")


class BoundedJSONParser(JSONParser):
    """DRF's JSONParser with a depth limit and strict JSON (no NaN or Infinity)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        body = stream.read() if stream is not None else b""
        limit = settings.API_JSON_MAX_DEPTH
        if json_depth_exceeds(body, limit):
            raise ParseError(_("JSON nested deeper than %(limit)d levels is not accepted.") % {"limit": limit})
        try:
            text = body.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise ParseError(_("The body is not valid UTF-8 text.")) from None
        try:
            return json.loads(text, parse_constant=_refuse_constant)
        except (ValueError, RecursionError) as error:
            raise ParseError(_("JSON parse error: %(error)s") % {"error": error}) from None
