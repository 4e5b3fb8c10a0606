"""What the API accepts. These serializers only check shapes and types; the domain rules (is the category
known, is the location inside the territory, may this transition happen now) stay in cases.validation and
cases.services, so the API rejects exactly what the portal, Open311 and the back office reject."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cases.models import Channel, RejectionReason
from cases.validation import NewCase
from operations.models import AlertSource
from operations.services import AlertDetails

from .fields import StrictBooleanField, StrictCharField, StrictFloatField, StrictIntegerField

MESSAGE_MAX_LENGTH = settings.CASE_DESCRIPTION_MAX_LENGTH
LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


# The reporter's contact details. Personal data: stored apart from the case, never published.
class ContactRequest(serializers.Serializer):

    name = StrictCharField(required=False, allow_blank=True, max_length=150)
    email = StrictCharField(required=False, allow_blank=True, max_length=254)
    phone = StrictCharField(required=False, allow_blank=True, max_length=32)
    national_id = StrictCharField(required=False, allow_blank=True, max_length=32)


# Who raised an alert filed through the API: agency staff themselves, or a citizen whose report staff
# pass on (a caller). Sensors and CAP senders have their own intake (/operaciones/sensores/, /operaciones/cap/).
ALERT_SOURCE_CHOICES = [(AlertSource.STAFF.value, AlertSource.STAFF.label), (AlertSource.CITIZEN.value, AlertSource.CITIZEN.label)]
PEOPLE_AFFECTED_MAX = 10_000_000


# An urgent case's alert details: what agency staff know and a citizen would not.
class AlertRequest(serializers.Serializer):

    severity = StrictIntegerField(
        required=False,
        min_value=1,
        max_value=5,
        help_text=_("1 (minor) to 5 (extreme); the category's default when omitted. Orders the board and sets how soon an unacknowledged alert escalates."),
    )
    people_affected = StrictIntegerField(required=False, allow_null=True, min_value=0, max_value=PEOPLE_AFFECTED_MAX)
    exercise = StrictBooleanField(default=False, help_text=_("A drill: every board and message marks it as an exercise."))
    source = serializers.ChoiceField(
        choices=ALERT_SOURCE_CHOICES,
        default=AlertSource.STAFF.value,
        help_text=_("`staff`: your agency raises it; `citizen`: you pass on a citizen's report."),
    )


class CaseCreateRequest(serializers.Serializer):
    category = StrictCharField(max_length=64, help_text=_("Category code (see /categories/)."))
    description = StrictCharField(max_length=settings.CASE_DESCRIPTION_MAX_LENGTH)
    channel = serializers.ChoiceField(
        choices=Channel.choices,
        default=Channel.API,
        help_text=_("How the report reached you: an agent filing for a caller sends `phone`."),
    )
    lat = StrictFloatField(required=False, allow_null=True, min_value=-90, max_value=90)
    lon = StrictFloatField(required=False, allow_null=True, min_value=-180, max_value=180)
    address = StrictCharField(required=False, allow_blank=True, max_length=300)
    district = StrictCharField(
        required=False, allow_blank=True, max_length=64, help_text=_("District code, when there is no point.")
    )
    attributes = serializers.DictField(
        required=False, help_text=_("Answers to the category's questions, by attribute code.")
    )
    anonymous = StrictBooleanField(default=False)
    contact = ContactRequest(required=False)
    language = serializers.ChoiceField(choices=LANGUAGE_CODES, default=settings.LANGUAGE_CODE)
    procedure = StrictCharField(
        required=False, allow_blank=True, max_length=120, help_text=_("Slug of the procedure the report is about.")
    )
    alert = AlertRequest(
        required=False,
        help_text=_(
            "Urgent categories only (an alert on the operations board): severity, people affected, exercise "
            "flag and source. Back-office users only; a case of another category with this field is a 400."
        ),
    )

    def alert_details(self) -> AlertDetails | None:
        """The alert's details, when the request gave them (None otherwise: an urgent case filed without
        them still gets its alert, with the category's default severity)."""
        alert = self.validated_data.get("alert")
        if alert is None:
            return None
        return AlertDetails(
            severity=alert.get("severity"),
            people_affected=alert.get("people_affected"),
            exercise=alert["exercise"],
            source=alert["source"],
        )

    def new_case(self) -> NewCase:
        data = self.validated_data
        contact = data.get("contact") or {}
        return NewCase(
            category_code=data["category"],
            description=data["description"],
            channel=data["channel"],
            lat=data.get("lat"),
            lon=data.get("lon"),
            address=data.get("address", ""),
            district_code=data.get("district") or None,
            attributes=data.get("attributes") or {},
            is_anonymous=data["anonymous"],
            contact_name=contact.get("name", ""),
            contact_email=contact.get("email", ""),
            contact_phone=contact.get("phone", ""),
            contact_national_id=contact.get("national_id", ""),
            language=data["language"],
        )


# Field names of cases.validation errors, as the API names its fields.
NEW_CASE_ERROR_FIELDS = {
    "service_code": ("category",),
    "name": ("contact", "name"),
    "email": ("contact", "email"),
    "phone": ("contact", "phone"),
    "national_id": ("contact", "national_id"),
}


class CommentRequest(serializers.Serializer):
    message = StrictCharField(max_length=MESSAGE_MAX_LENGTH)
    public = StrictBooleanField(
        default=False, help_text=_("Public comments appear on the citizen's timeline; internal ones only to staff.")
    )
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)


def _action(name: str) -> serializers.ChoiceField:
    return serializers.ChoiceField(choices=[name])


def _message(required: bool, help_text: str = "") -> StrictCharField:
    return StrictCharField(
        required=required, allow_blank=not required, max_length=MESSAGE_MAX_LENGTH, help_text=help_text
    )


class TransitionRequest(serializers.Serializer):
    channel = serializers.ChoiceField(choices=Channel.choices, default=Channel.API)


class AssignRequest(TransitionRequest):
    action = _action("assign")
    assignee = StrictCharField(
        required=False, max_length=150, help_text=_("Username of the person who takes the case; yourself if omitted.")
    )
    message = _message(False)


class StartRequest(TransitionRequest):
    action = _action("start")
    message = _message(False)


class RequestInfoRequest(TransitionRequest):
    action = _action("request_info")
    message = _message(True, _("The question for the citizen."))


class ResolveRequest(TransitionRequest):
    action = _action("resolve")
    message = _message(True, _("What was done, for the citizen."))


class CloseRequest(TransitionRequest):
    action = _action("close")
    message = _message(False)


class RejectRequest(TransitionRequest):
    action = _action("reject")
    reason = serializers.ChoiceField(choices=RejectionReason.choices)
    duplicate_of = StrictCharField(
        required=False, max_length=16, help_text=_("Number of the case this one duplicates (reason `duplicate`).")
    )
    message = _message(False)


class ReopenRequest(TransitionRequest):
    action = _action("reopen")
    message = _message(True, _("Why the case is opened again."))


class TransferRequest(TransitionRequest):
    action = _action("transfer")
    entity = StrictCharField(max_length=32, help_text=_("Code of the entity that takes the case."))
    message = _message(True, _("Why the case is transferred."))


TRANSITION_REQUESTS: dict[str, type[TransitionRequest]] = {
    "assign": AssignRequest,
    "start": StartRequest,
    "request_info": RequestInfoRequest,
    "resolve": ResolveRequest,
    "close": CloseRequest,
    "reject": RejectRequest,
    "reopen": ReopenRequest,
    "transfer": TransferRequest,
}
