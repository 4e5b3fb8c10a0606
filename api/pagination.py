"""Cursor pagination: stable pages over lists that grow while a client walks them (new cases arrive all the time)."""

from __future__ import annotations

import binascii
import datetime as dt
import re
from base64 import b64decode, b64encode
from urllib import parse

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import NotFound
from rest_framework.pagination import CursorPagination


class Cursor(CursorPagination):
    """DRF's cursor, with the position inside it checked before it reaches the database.

    A cursor is opaque but not signed: a hand-made one could carry a position that is not a value of the
    ordering field, which the database would refuse with an error instead of an empty page.
    """

    ordering = "-created_at"

    def paginate_queryset(self, queryset, request, view=None):
        self._model = queryset.model
        return super().paginate_queryset(queryset, request, view)

    def decode_cursor(self, request):
        encoded = request.query_params.get(self.cursor_query_param)
        if encoded is not None and not canonical_cursor(encoded):
            # DRF reads what it understands and defaults the rest: a cursor it cannot have written
            # ("b2s=" decodes to "ok") would silently give the first page. Documented: 404.
            raise NotFound(self.invalid_cursor_message)
        cursor = super().decode_cursor(request)
        if cursor is not None and cursor.position is not None:
            ordering = self.ordering if isinstance(self.ordering, str) else self.ordering[0]
            field = self._model._meta.get_field(ordering.lstrip("-"))
            try:
                if "\x00" in cursor.position:
                    raise DjangoValidationError("NUL")
                value = field.to_python(cursor.position)
                if isinstance(value, dt.datetime):
                    # Stored in UTC: a time near year 1 or 9999 may not survive the conversion.
                    value.astimezone(dt.timezone.utc)
            except (DjangoValidationError, ValueError, OverflowError):
                raise NotFound(self.invalid_cursor_message)
        return cursor


_CURSOR_VALUES = {"o": re.compile(r"[1-9][0-9]{0,8}"), "r": re.compile(r"1"), "p": re.compile(r"[\s\S]{1,200}")}


def canonical_cursor(encoded: str) -> bool:
    """True only for a cursor shaped as DRF writes it: base64 of `o=..&r=1&p=..` (each at most once,
    none unknown, a position or an offset), byte for byte as DRF would encode it again."""
    try:
        querystring = b64decode(encoded.encode("ascii"), validate=True).decode("ascii")
    except (UnicodeError, binascii.Error, ValueError):
        return False
    if b64encode(querystring.encode("ascii")).decode("ascii") != encoded:
        return False
    try:
        pairs = parse.parse_qsl(querystring, keep_blank_values=True, strict_parsing=True)
    except ValueError:
        return False
    keys = [key for key, _value in pairs]
    # DRF always writes a position or an offset; without either the cursor would mean the first page.
    if len(set(keys)) != len(keys) or not {"o", "p"} & set(keys):
        return False
    return all(key in _CURSOR_VALUES and _CURSOR_VALUES[key].fullmatch(value) for key, value in pairs)


class CaseCursor(Cursor):
    ordering = "-created_at"


class TimelineCursor(Cursor):
    # Events written in one step share their time (a case's "created" and "routed"): the id keeps them in
    # the order they were written, as the back office's timeline does, instead of the database's whim.
    ordering = ("created_at", "id")


class CodeCursor(Cursor):
    ordering = "code"


class SlugCursor(Cursor):
    ordering = "slug"
