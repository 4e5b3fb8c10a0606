"""Forms of the 311 journey. They parse what the browser sent; the rules about a case (lengths, the
location, the category's questions, contact details) belong to `cases.validation`, whose errors are put
on the matching fields here so that every problem shows at once, next to its field."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from cases.attachments import CleanUpload, InvalidUpload, validate_upload
from cases.models import Category, CategoryAttribute, Channel, SdgAnswer
from cases.validation import NewCase, validate_new_case
from ventanilla.layout import jurisdiction_name

SURVEY_COMMENT_MAX_LENGTH = 2000
REPLY_MAX_LENGTH = settings.CASE_DESCRIPTION_MAX_LENGTH


class SummaryMixin:
    """The errors as the GOV.UK error summary lists them: in page order, each linking to its field.

    Templates give every input the id of its field name, so "#name" reaches it; a group of radios or
    checkboxes gives that id to its first item."""

    page_order: tuple[str, ...] = ()

    def error_summary(self) -> list[tuple[str, str]]:
        order = [*self.page_order, *(name for name in self.fields if name not in self.page_order)]
        ranked = sorted(self.errors.items(), key=lambda item: order.index(item[0]) if item[0] in order else -1)
        return [("" if name == "__all__" else f"#{name}", message) for name, errors in ranked for message in errors]


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Up to CASE_MAX_PHOTOS files, each checked by its content (cases.attachments)."""

    widget = MultipleFileInput

    def __init__(self, *, allow_pdf: bool = False, **kwargs: Any) -> None:
        self.allow_pdf = allow_pdf
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, data):  # a list of UploadedFile, never a single one
        return [item for item in (data or []) if item]

    def clean(self, data, initial=None) -> list[CleanUpload]:
        files = self.to_python(data)
        limit = settings.CASE_MAX_PHOTOS
        if len(files) > limit:
            raise ValidationError(
                _("You can send up to %(limit)d files; you chose %(count)d.") % {"limit": limit, "count": len(files)},
                code="too_many_files",
            )
        cleaned, errors = [], []
        for upload in files:
            try:
                cleaned.append(validate_upload(upload, allow_pdf=self.allow_pdf))
            except InvalidUpload as error:
                errors.extend(error.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned


# Where each error of cases.validation belongs on the portal's forms.
CASE_FIELD_TO_FORM_FIELD = {
    "description": "description",
    "address": "address",
    "district": "district",
    "location": "location",
    "name": "contact_name",
    "email": "contact_email",
    "phone": "contact_phone",
    "anonymous": "anonymous",
}


# Where a generic message from cases.validation can say exactly what to do on this page.
CLEARER_MESSAGES = {
    ("description", "required"): _("Describe the problem."),
}


def clearer_message(field: str, code: str | None, message):
    """What this page can say better than the shared rule's message (it knows the map and the list)."""
    if (field, code) == ("location", "outside_jurisdiction"):
        territory = jurisdiction_name()
        if territory:
            return _(
                "The point on the map is outside %(territory)s, the territory this service covers. Move the pin "
                "to the place in %(territory)s, or choose the district from the list instead."
            ) % {"territory": territory}
        return _(
            "The point on the map is outside the territory this service covers. Move the pin, or choose the "
            "district from the list instead."
        )
    return CLEARER_MESSAGES.get((field, code), message)


class CaseForm(SummaryMixin, forms.Form):
    """The fields both the report form and the anonymous complaint form share."""

    description = forms.CharField(required=False, strip=False, widget=forms.Textarea)
    lat = forms.CharField(required=False, widget=forms.HiddenInput)
    lon = forms.CharField(required=False, widget=forms.HiddenInput)
    address = forms.CharField(required=False)
    district = forms.CharField(required=False)
    photos = PhotosField()
    # Not an input: it carries the errors about the map pin (outside the territory, malformed).
    location = forms.CharField(required=False, widget=forms.HiddenInput)

    case_field_map = CASE_FIELD_TO_FORM_FIELD

    @property
    def page_order(self) -> tuple[str, ...]:  # type: ignore[override]
        return (
            "category_code",
            "description",
            *self.attribute_fields.values(),
            "location",
            "address",
            "district",
            "photos",
            "contact_name",
            "contact_email",
            "contact_phone",
            "anonymous",
        )

    def __init__(self, *args: Any, category: Category | None, categories, **kwargs: Any) -> None:
        self.category = category
        self.categories = categories
        self.attribute_fields: dict[str, str] = {}
        self.questions: list[AttributeQuestion] = []
        super().__init__(*args, **kwargs)

    def chosen_category_code(self) -> str:
        return self.category.code if self.category else ""

    def case_details(self) -> dict[str, Any]:
        """What a form adds to the shared fields of NewCase (answers, contact, anonymity)."""
        return {}

    def new_case(self) -> NewCase:
        data = self.cleaned_data
        return NewCase(
            category_code=self.chosen_category_code(),
            description=data.get("description") or "",
            channel=Channel.WEB,
            lat=data.get("lat") or None,
            lon=data.get("lon") or None,
            address=data.get("address") or "",
            district_code=data.get("district") or None,
            language=(get_language() or settings.LANGUAGE_CODE)[:2],
            **self.case_details(),
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            validate_new_case(self.new_case(), categories=self.categories)
        except ValidationError as error:
            self.add_case_errors(error)
        return cleaned

    def add_case_errors(self, error: ValidationError) -> None:
        """Put cases.validation's errors on the fields they concern; the rest become non-field errors."""
        for case_field, errors in error.error_dict.items():
            target = self.case_field_map.get(case_field)
            if case_field.startswith("attribute[") and case_field[10:-1] in self.attribute_fields:
                target = self.attribute_fields[case_field[10:-1]]
            for item in errors:
                message = item.message % item.params if item.params else item.message
                message = clearer_message(case_field, item.code, message)
                if target in self.fields and message in self.errors.get(target, []):
                    continue
                self.add_error(target if target in self.fields else None, ValidationError(message, code=item.code))

    @property
    def uploads(self) -> list[CleanUpload]:
        return self.cleaned_data.get("photos") or []


@dataclass
class AttributeQuestion:
    """One of the category's extra questions, as the template renders it."""

    attribute: CategoryAttribute
    field_name: str
    form: "ReportForm"

    @property
    def bound(self) -> forms.BoundField:
        return self.form[self.field_name]

    @property
    def input_kind(self) -> str:
        return self.attribute.datatype

    @property
    def choices(self) -> list[tuple[str, str]]:
        return self.attribute.localized_values()

    @property
    def selected(self) -> list[str]:
        value = self.bound.value()
        if value is None:
            return []
        return [str(v) for v in value] if isinstance(value, (list, tuple)) else [str(value)]


class ReportForm(CaseForm):
    """The report form for one category: description, its questions, place, photos, optional contact."""

    contact_name = forms.CharField(required=False)
    contact_email = forms.CharField(required=False)
    contact_phone = forms.CharField(required=False)
    # Unticked means "the default rule" (cases.validation.notification_preferences): SMS when only a
    # phone was given. Ticked asks for that channel on the phone given.
    notify_sms = forms.BooleanField(required=False)
    notify_whatsapp = forms.BooleanField(required=False)
    anonymous = forms.BooleanField(required=False)

    def __init__(self, *args: Any, category: Category, **kwargs: Any) -> None:
        super().__init__(*args, category=category, categories=Category.objects.listed(), **kwargs)
        if not category.anonymous_allowed:
            del self.fields["anonymous"]
        for attribute in category.attributes.all():
            name = f"attr_{attribute.code}"
            self.attribute_fields[attribute.code] = name
            if attribute.datatype == CategoryAttribute.Datatype.MULTIVALUELIST:
                self.fields[name] = forms.MultipleChoiceField(
                    required=False, choices=attribute.localized_values(), widget=forms.CheckboxSelectMultiple
                )
                # Let cases.validation judge the keys, so every channel gives the same message.
                self.fields[name].valid_value = lambda value: True
            else:
                self.fields[name] = forms.CharField(required=False)
            self.questions.append(AttributeQuestion(attribute, name, self))

    def case_details(self) -> dict[str, Any]:
        data = self.cleaned_data
        answers: dict[str, Any] = {}
        for code, name in self.attribute_fields.items():
            value = data.get(name)
            if value not in (None, "", []):
                answers[code] = value
        return {
            "attributes": answers,
            "is_anonymous": bool(data.get("anonymous")),
            "contact_name": data.get("contact_name") or "",
            "contact_email": data.get("contact_email") or "",
            "contact_phone": data.get("contact_phone") or "",
            "notify_sms": True if data.get("notify_sms") else None,
            "notify_whatsapp": True if data.get("notify_whatsapp") else None,
        }


class ComplaintForm(CaseForm):
    """An anonymous complaint to the oversight body: no contact, documents allowed."""

    category_code = forms.CharField(required=False)
    photos = PhotosField(allow_pdf=True)

    case_field_map = {**CASE_FIELD_TO_FORM_FIELD, "service_code": "category_code"}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, category=None, categories=Category.objects.sensitive(), **kwargs)
        self.complaint_categories = list(self.categories)
        if len(self.complaint_categories) == 1:
            self.fields["category_code"].initial = self.complaint_categories[0].code

    def clean_category_code(self) -> str:
        code = self.cleaned_data.get("category_code") or ""
        if not code:
            raise ValidationError(_("Choose what your complaint is about."), code="required")
        self.category = next((c for c in self.complaint_categories if c.code == code), None)
        return code

    def chosen_category_code(self) -> str:
        return self.cleaned_data.get("category_code") or ""

    def case_details(self) -> dict[str, Any]:
        return {"is_anonymous": True}

    def add_case_errors(self, error: ValidationError) -> None:
        if "category_code" in self.errors:
            # "Choose what your complaint is about" already says what "Unknown category" would.
            error.error_dict.pop("service_code", None)
        super().add_case_errors(error)


NUMBER_PATTERN = re.compile(r"^(\d{4})\s*[-‐–—]\s*(\d{1,6})$")


class LookupForm(SummaryMixin, forms.Form):
    """Find a case by its tracking link or code (optionally with its number: then both must match), or by
    its number alone, which opens only the public view of the case (see docs/portal.md)."""

    code = forms.CharField(required=False, max_length=300)
    number = forms.CharField(required=False, max_length=20)

    def clean_code(self) -> str:
        raw = (self.cleaned_data.get("code") or "").strip()
        # A pasted link: the code is the path segment after /seguimiento/ (any language prefix, any host).
        marker = "/seguimiento/"
        if marker in raw:
            raw = raw.split(marker, 1)[1].split("/", 1)[0].split("?", 1)[0].split("#", 1)[0]
        return raw.strip()

    def clean_number(self) -> str:
        raw = (self.cleaned_data.get("number") or "").strip()
        if not raw:
            return ""
        match = NUMBER_PATTERN.match(raw)
        if match is None:
            raise ValidationError(_("Enter the case number as on your receipt, for example 2026-000123."), code="invalid")
        year, serial = match.groups()
        return f"{year}-{int(serial):06d}"

    def clean(self) -> dict:
        data = super().clean()
        if not data.get("code") and not data.get("number") and not self.errors:
            self.add_error(
                "code", ValidationError(_("Enter the tracking link or code, or the case number."), code="required")
            )
        return data


def required_reply_text(value: str | None, missing_message: str) -> str:
    """A citizen's answer on the tracking page: present, and within REPLY_MAX_LENGTH."""
    text = value or ""
    if not text:
        raise ValidationError(missing_message, code="required")
    if len(text) > REPLY_MAX_LENGTH:
        raise ValidationError(
            _("Too long: %(length)d characters, the limit is %(limit)d.") % {"length": len(text), "limit": REPLY_MAX_LENGTH},
            code="max_length",
        )
    return text


class ReplyForm(SummaryMixin, forms.Form):
    reply = forms.CharField(required=False, strip=True, widget=forms.Textarea)
    photos = PhotosField()

    def clean_reply(self) -> str:
        return required_reply_text(self.cleaned_data.get("reply"), _("Write your answer to the question."))

    def clean_photos(self) -> list[CleanUpload]:
        photos = self.cleaned_data.get("photos") or []
        if len(photos) > 1:
            raise ValidationError(_("You can add one photo to your answer."), code="too_many_files")
        return photos


class ReopenForm(SummaryMixin, forms.Form):
    reason = forms.CharField(required=False, strip=True, widget=forms.Textarea)

    def clean_reason(self) -> str:
        return required_reply_text(self.cleaned_data.get("reason"), _("Tell us what is still not solved."))


class SolvedForm(SummaryMixin, forms.Form):
    """The survey's first question. For a resolved case it is also the citizen's word on the resolution:
    "yes" closes the case, "no" leads to the offer to reopen it (portal/journey/views.py)."""

    SOLVED = [("yes", _("Yes")), ("no", _("No"))]

    solved = forms.ChoiceField(
        choices=SOLVED, error_messages={"required": _("Say whether the problem was solved."),
                                        "invalid_choice": _("Say whether the problem was solved.")}
    )


class SurveyForm(SummaryMixin, forms.Form):
    """The rating, after the first question (whose answer the view carries: `SolvedForm`)."""

    SATISFACTION = [
        ("5", _("Very satisfied")),
        ("4", _("Satisfied")),
        ("3", _("Neither satisfied nor dissatisfied")),
        ("2", _("Dissatisfied")),
        ("1", _("Very dissatisfied")),
    ]
    satisfaction = forms.ChoiceField(
        choices=SATISFACTION, error_messages={"required": _("Choose how satisfied you are."),
                                             "invalid_choice": _("Choose how satisfied you are.")}
    )
    comment = forms.CharField(required=False, strip=True, widget=forms.Textarea)
    # The optional SDG 16.6.2 part: four points, no neutral option, "don't know" recorded apart.
    # The labels are the model's (cases.models.SdgAnswer): agree first, "don't know" last.
    SDG_CHOICES = [(str(answer.value), answer.label) for answer in sorted(SdgAnswer, key=lambda a: (a == 0, -a))]
    SDG_STATEMENTS = [
        ("accessibility", _("It was easy to reach the service (place, phone, website, opening hours).")),
        ("affordability", _("What I had to pay, if anything, was affordable.")),
        ("equal_treatment", _("I was treated equally to everyone else.")),
        ("effective_delivery", _("The process was simple and easy to understand.")),
        ("timeliness", _("The time it took was reasonable.")),
    ]
    accessibility = forms.TypedChoiceField(choices=SDG_CHOICES, coerce=int, required=False, empty_value=None)
    affordability = forms.TypedChoiceField(choices=SDG_CHOICES, coerce=int, required=False, empty_value=None)
    equal_treatment = forms.TypedChoiceField(choices=SDG_CHOICES, coerce=int, required=False, empty_value=None)
    effective_delivery = forms.TypedChoiceField(choices=SDG_CHOICES, coerce=int, required=False, empty_value=None)
    timeliness = forms.TypedChoiceField(choices=SDG_CHOICES, coerce=int, required=False, empty_value=None)

    def sdg_questions(self) -> list[tuple[str, str, object]]:
        return [(name, statement, self[name]) for name, statement in self.SDG_STATEMENTS]

    def sdg_answers(self) -> dict[str, int | None]:
        return {name: self.cleaned_data.get(name) for name, _statement in self.SDG_STATEMENTS}

    def clean_comment(self) -> str:
        comment = self.cleaned_data.get("comment") or ""
        if len(comment) > SURVEY_COMMENT_MAX_LENGTH:
            raise ValidationError(
                _("Too long: %(length)d characters, the limit is %(limit)d.")
                % {"length": len(comment), "limit": SURVEY_COMMENT_MAX_LENGTH},
                code="max_length",
            )
        return comment
