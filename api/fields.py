"""Request fields that accept only the JSON type the schema promises.

DRF's own fields coerce generously (the number 5 becomes the text "5", the text "true" becomes a boolean).
An integration that sends the wrong type has a bug, and the API tells it so instead of guessing.
"""

from __future__ import annotations

import math

from django import forms
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers


class StrictCharField(serializers.CharField):
    default_error_messages = {"invalid": _("Must be a text string.")}

    def to_internal_value(self, data):
        if not isinstance(data, str):
            self.fail("invalid")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": _("Must be true or false.")}

    def to_internal_value(self, data):
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


class StrictIntegerField(serializers.IntegerField):
    default_error_messages = {"invalid": _("Must be a whole number.")}

    def to_internal_value(self, data):
        # JSON has one number type: 5 and 5.0 are the same whole number; "5", true and 5.5 are not.
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        if isinstance(data, float):
            if not math.isfinite(data) or not data.is_integer():
                self.fail("invalid")
            data = int(data)
        return super().to_internal_value(data)


class StrictFloatField(serializers.FloatField):
    default_error_messages = {"invalid": _("Must be a number.")}

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (int, float)):
            self.fail("invalid")
        try:
            number = float(data)
        except OverflowError:
            self.fail("invalid")
        if not math.isfinite(number):
            self.fail("invalid")
        return super().to_internal_value(number)


class StrictQueryBooleanField(forms.NullBooleanField):
    """A yes/no query parameter: `true` or `false` (also 1/0); anything else is an error, not "no filter"."""

    TRUE, FALSE = {"true", "1"}, {"false", "0"}
    # The default select widget turns unknown values into "unknown" before they can be refused.
    widget = forms.TextInput

    def to_python(self, value):
        if value in (None, ""):
            return None
        if isinstance(value, bool):
            return value
        text = str(value).strip().lower()
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise DjangoValidationError(_("Must be true or false."), code="invalid")

    def validate(self, value):
        pass
