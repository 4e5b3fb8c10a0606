"""`/operaciones/nueva/`: agency staff raise an alert with what a citizen would not know — severity,
people affected, an exercise flag. Any member of staff (back-office role) may
(`cases.permissions.may_raise_alert`, the REST API's rule too); the alert then follows the ordinary board."""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _

from cases.models import Category, Channel
from cases.permissions import may_raise_alert
from cases.services import Actor
from cases.validation import NewCase
from entities.models import District

from ..models import AlertSource
from ..services import AlertDetails, file_alert
from ..querysets import sees_board


class StaffAlertForm(forms.Form):
    category = forms.ModelChoiceField(
        label=_("Category"), queryset=Category.objects.filter(active=True, urgent=True, sensitive=False), to_field_name="code"
    )
    severity = forms.TypedChoiceField(
        label=_("Severity (5 is the most severe)"), choices=[(n, n) for n in range(5, 0, -1)], coerce=int, initial=3
    )
    people_affected = forms.IntegerField(label=_("People affected"), min_value=0, max_value=10_000_000, required=False)
    description = forms.CharField(label=_("What is happening"), widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    lat = forms.FloatField(label=_("Latitude"), required=False)
    lon = forms.FloatField(label=_("Longitude"), required=False)
    district = forms.ModelChoiceField(label=_("Or district"), queryset=District.objects.order_by("name"), to_field_name="code", required=False)
    exercise = forms.BooleanField(label=_("This is an exercise (drill)"), required=False)

    def clean(self):
        data = super().clean()
        if (data.get("lat") is None) != (data.get("lon") is None):
            raise ValidationError(_("Give both latitude and longitude, or neither."))
        if data.get("lat") is None and not data.get("district"):
            raise ValidationError(_("Give a position or a district."))
        return data


def staff_alert(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not may_raise_alert(request.user):
        raise PermissionDenied
    form = StaffAlertForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        new_case = NewCase(
            category_code=data["category"].code,
            description=data["description"],
            channel=Channel.PHONE,
            lat=data.get("lat"),
            lon=data.get("lon"),
            district_code=data["district"].code if data.get("district") else None,
        )
        details = AlertDetails(
            severity=data["severity"], exercise=data["exercise"], source=AlertSource.STAFF, people_affected=data.get("people_affected")
        )
        try:
            alert = file_alert(new_case, details, actor=Actor(user=request.user, channel=Channel.PHONE))
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            if sees_board(request.user):
                return redirect("operations:board")
            return render(request, "operations/alerta_sent.html", {"number": alert.case.number, "tracking_url": ""})
    return render(request, "operations/staff_alert.html", {"form": form}, status=400 if form.errors else 200)
