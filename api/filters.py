"""Query filters for case lists. They narrow what `visible_to` already allowed; they never widen it."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cases.models import OPEN_STATES, Case, Channel, State
from catalog.models import Procedure

from .fields import StrictQueryBooleanField


class NotBlank:
    """`?overdue=` with nothing after it is a mistake in the caller's query, not "no filter": say so."""

    def clean(self, value):
        if value == "":
            raise forms.ValidationError(_("Give a value or leave the parameter out."), code="blank")
        return super().clean(value)


class InstantField(NotBlank, django_filters.fields.IsoDateTimeField):
    """An ISO 8601 instant that the database can store: year 1 to 9999 once converted to UTC."""

    def to_python(self, value):
        value = super().to_python(value)
        if value is not None:
            try:
                value.astimezone(dt.timezone.utc)
            except OverflowError:
                raise forms.ValidationError(_("Out of the supported date range."), code="out_of_range")
        return value


class InstantFilter(django_filters.IsoDateTimeFilter):
    field_class = InstantField


class StrictBooleanField(NotBlank, StrictQueryBooleanField):
    pass


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StrictChoiceField(NotBlank, django_filters.fields.ChoiceField):
    pass


class StrictChoiceFilter(django_filters.ChoiceFilter):
    field_class = StrictChoiceField


class CaseFilter(django_filters.FilterSet):
    state = django_filters.MultipleChoiceFilter(choices=State.choices, help_text=_("One or more states."))
    category = django_filters.CharFilter(field_name="category__code", max_length=64, help_text=_("Category code."))
    entity = django_filters.CharFilter(
        field_name="entity__code", max_length=32, help_text=_("Code of the entity in charge.")
    )
    channel = StrictChoiceFilter(choices=Channel.choices)
    created_after = InstantFilter(field_name="created_at", lookup_expr="gte")
    created_before = InstantFilter(field_name="created_at", lookup_expr="lt")
    updated_after = InstantFilter(field_name="updated_at", lookup_expr="gte")
    updated_before = InstantFilter(field_name="updated_at", lookup_expr="lt")
    overdue = StrictBooleanFilter(method="filter_overdue", help_text=_("Open cases past their due date (or not)."))
    q = django_filters.CharFilter(
        method="filter_number", max_length=16, help_text=_("Part of the case number, e.g. 000123 or 2026-000123.")
    )

    class Meta:
        model = Case
        fields: list[str] = []

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Q(state__in=OPEN_STATES, due_at__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_number(self, queryset, name, value):
        value = value.strip()
        return queryset.filter(number__contains=value) if value else queryset


class ProcedureFilter(django_filters.FilterSet):
    entity = django_filters.CharFilter(field_name="entity__code", max_length=32, help_text=_("Entity code."))
    theme = django_filters.CharFilter(field_name="themes__code", max_length=40, help_text=_("Theme code."))

    class Meta:
        model = Procedure
        fields: list[str] = []
