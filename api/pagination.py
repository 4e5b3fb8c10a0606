"""Cursor pagination: stable pages over lists that grow while a client walks them (new cases arrive all the time)."""

from __future__ import annotations

import datetime as dt

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


class CaseCursor(Cursor):
    ordering = "-created_at"


class TimelineCursor(Cursor):
    ordering = "created_at"


class CodeCursor(Cursor):
    ordering = "code"


class SlugCursor(Cursor):
    ordering = "slug"
