"""Forms of the desk pages. What a case may contain is checked once, by `cases.validation` (through
`create_case`); these forms only collect the fields and put the service's errors back on them."""

from __future__ import annotations

from collections import defaultdict

from django import forms
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import Category, CategoryAttribute, Channel
from cases.validation import NewCase
from catalog.models import Procedure
from entities.models import District, Entity

from .answer_templates import answerable_states, validate_template
from .widgets import FastSelect
from .desk_services import MAX_SERVICE_LEVEL_DAYS, PROCEDURE_FIELDS, TOPIC_MAX_LENGTH, console_categories

ATTRIBUTE_PREFIX = "attribute__"


def _category_choices(categories) -> list:
    groups: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for category in categories.order_by("group_es", "name_es"):
        groups[category.group].append((category.code, category.name))
    return [("", _("Choose the kind of problem"))] + [(group, options) for group, options in groups.items()]


def _district_choices() -> list:
    # Only the three columns: a district row also holds its boundary polygon, far too big to load here.
    rows = District.objects.order_by("province__name", "name").values_list("code", "name", "province__name")
    return [("", _("Not known"))] + [(code, f"{name} ({province})") for code, name, province in rows]


class TelInput(forms.TextInput):
    input_type = "tel"


WIDGET_CLASSES = {
    "textarea": "govuk-textarea",
    "select": "govuk-select",
    "checkbox": "govuk-checkboxes__input",
    "checkboxselectmultiple": "govuk-checkboxes__input",
}


class GovukFormMixin:
    """GOV.UK Frontend classes on every widget, so templates can render `{{ field }}` and keep Django's
    handling of choices, option groups, checked state and aria attributes."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.style_widgets()

    def style_widgets(self) -> None:
        for bound in self:
            widget = bound.field.widget
            if "govuk-" in widget.attrs.get("class", ""):
                continue
            css = WIDGET_CLASSES.get(bound.widget_type, "govuk-input")
            widget.attrs["class"] = " ".join(filter(None, [css, widget.attrs.get("class", "")])).strip()


def message_of(error: ValidationError) -> str:
    return error.message % error.params if error.params else str(error.message)


class CaseErrorsMixin(GovukFormMixin):
    """Puts a service's ValidationError (field names of cases.validation) onto this form's fields."""

    CASE_FIELDS: dict[str, str] = {}

    def add_case_errors(self, error: ValidationError) -> None:
        by_field = error.error_dict if hasattr(error, "error_dict") else {"__all__": error.error_list}
        for case_field, errors in by_field.items():
            target = self.CASE_FIELDS.get(case_field, case_field)
            if case_field.startswith("attribute["):
                target = ATTRIBUTE_PREFIX + case_field[len("attribute[") : -1]
            if target not in self.fields:
                target = None
            for item in errors:
                self.add_error(target, ValidationError(message_of(item), code=item.code))


class PhoneCaseForm(CaseErrorsMixin, forms.Form):
    """A case filed for a caller. The chosen category's own questions are added to the form, so after a
    first submission that names the category the agent sees them (no script needed)."""

    category = forms.ChoiceField(label=_("Kind of problem"), widget=FastSelect)
    description = forms.CharField(
        label=_("What is happening?"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("In the caller's words: what, since when, anything that helps to find it."),
    )
    address = forms.CharField(label=_("Address or reference"), required=False)
    district = forms.ChoiceField(label=_("District"), required=False, widget=FastSelect)
    contact_name = forms.CharField(label=_("Caller's name"), required=False)
    contact_phone = forms.CharField(label=_("Phone"), required=False, widget=TelInput(attrs={"autocomplete": "off"}))
    contact_email = forms.CharField(label=_("E-mail"), required=False, widget=forms.EmailInput(attrs={"spellcheck": "false"}))
    contact_national_id = forms.CharField(label=_("Cédula"), required=False)
    notify_email = forms.BooleanField(label=_("Tell them by e-mail"), required=False)
    notify_sms = forms.BooleanField(label=_("Tell them by SMS"), required=False)
    notify_whatsapp = forms.BooleanField(label=_("Tell them by WhatsApp"), required=False)

    CASE_FIELDS = {
        "service_code": "category",
        "description": "description",
        "address": "address",
        "district": "district",
        "location": "district",
        "name": "contact_name",
        "email": "contact_email",
        "phone": "contact_phone",
        "national_id": "contact_national_id",
    }

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(console_categories())
        self.fields["district"].choices = _district_choices()
        code = (self.data.get("category") if self.is_bound else self.initial.get("category")) or ""
        self.category = console_categories().filter(code=code).prefetch_related("attributes").first()
        self.question_names: list[str] = []
        for attribute in self.category.attributes.all() if self.category else []:
            name = ATTRIBUTE_PREFIX + attribute.code
            self.fields[name] = attribute_field(attribute)
            self.question_names.append(name)
        self.style_widgets()

    @property
    def questions(self) -> list:
        return [self[name] for name in self.question_names]

    def to_new_case(self, language: str) -> NewCase:
        data = self.cleaned_data
        asked = any(data[name] for name in ("notify_email", "notify_sms", "notify_whatsapp"))
        attributes = {
            name[len(ATTRIBUTE_PREFIX) :]: data[name]
            for name in self.question_names
            if data.get(name) not in (None, "", [])
        }
        return NewCase(
            category_code=data["category"],
            description=data["description"],
            channel=Channel.PHONE,
            address=data["address"],
            district_code=data["district"] or None,
            attributes=attributes,
            contact_name=data["contact_name"],
            contact_email=data["contact_email"],
            contact_phone=data["contact_phone"],
            contact_national_id=data["contact_national_id"],
            language=language,
            # Nothing ticked: the caller was not asked, and the default rule decides (cases.validation).
            notify_email=data["notify_email"] if asked else None,
            notify_sms=data["notify_sms"] if asked else None,
            notify_whatsapp=data["notify_whatsapp"] if asked else None,
        )


def attribute_field(attribute: CategoryAttribute) -> forms.Field:
    Datatype = CategoryAttribute.Datatype
    label = attribute.description
    if attribute.datatype == Datatype.SINGLEVALUELIST:
        return forms.ChoiceField(label=label, required=False, choices=[("", "—")] + attribute.localized_values())
    if attribute.datatype == Datatype.MULTIVALUELIST:
        return forms.MultipleChoiceField(
            label=label, required=False, choices=attribute.localized_values(), widget=forms.CheckboxSelectMultiple
        )
    if attribute.datatype == Datatype.TEXT:
        return forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 3}))
    attrs = {"inputmode": "decimal"} if attribute.datatype == Datatype.NUMBER else {}
    return forms.CharField(label=label, required=False, widget=forms.TextInput(attrs=attrs))


class InformationContactForm(CaseErrorsMixin, forms.Form):
    topic = forms.CharField(
        label=_("What did the caller ask about?"), required=False, max_length=TOPIC_MAX_LENGTH * 4
    )
    entity = forms.ModelChoiceField(
        label=_("Entity concerned (optional)"),
        queryset=Entity.objects.active().order_by("name"),
        required=False,
        to_field_name="code",
        empty_label=_("None in particular"),
        widget=FastSelect,
    )
    procedure = forms.ModelChoiceField(
        queryset=Procedure.objects.published(), required=False, to_field_name="slug", widget=forms.HiddenInput
    )
    channel = forms.ChoiceField(label=_("Channel"), choices=Channel.choices, initial=Channel.PHONE, widget=FastSelect)


class ServiceLevelForm(GovukFormMixin, forms.Form):
    sla_business_days = forms.IntegerField(
        label=_("Service level (business days)"),
        min_value=1,
        max_value=MAX_SERVICE_LEVEL_DAYS,
        error_messages={"required": _("Give a number of business days."), "invalid": _("Give a whole number of days.")},
    )


class AnswerTemplateForm(GovukFormMixin, forms.Form):
    """A category's answer template on the supervisors' page. Every rule (title, length, placeholders,
    language, state, a repeated title) is `answer_templates.validate_template`'s, which `clean` calls and
    `save_template` calls again under the row lock: the page, the admin and a script refuse the same
    things with the same words."""

    title = forms.CharField(
        label=_("Title"), required=False, help_text=_("What members choose from on the case page, e.g. “Collected”.")
    )
    language = forms.CharField(label=_("Language"), required=False, widget=forms.Select(choices=settings.LANGUAGES))
    state = forms.CharField(label=_("Offered while the case is"), required=False, widget=forms.Select)
    body = forms.CharField(
        label=_("Answer"),
        required=False,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 8, "spellcheck": "true"}),
        help_text=_("The public answer the citizen receives. The member can edit it before sending."),
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)

    def __init__(self, *args, category, template=None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.category, self.template = category, template
        self.fields["state"].widget.choices = [("", _("Any state"))] + [(state.value, state.label) for state in answerable_states()]

    def clean(self):
        data = super().clean()
        try:
            data.update(validate_template(category=self.category, template=self.template, **self.template_fields(data)))
        except ValidationError as error:
            self.add_service_errors(error)
        return data

    def template_fields(self, data: dict | None = None) -> dict:
        data = self.cleaned_data if data is None else data
        return {name: data.get(name) or "" for name in ("title", "body", "language", "state")}

    def add_service_errors(self, error: ValidationError) -> None:
        by_field = error.error_dict if hasattr(error, "error_dict") else {NON_FIELD_ERRORS: error.error_list}
        for name, errors in by_field.items():
            target = name if name in self.fields else None
            for item in errors:
                self.add_error(target, ValidationError(message_of(item), code=item.code))


class TriageRouteForm(CaseErrorsMixin, forms.Form):
    category = forms.ChoiceField(label=_("Category"), widget=FastSelect)
    entity = forms.ModelChoiceField(
        label=_("Entity"),
        queryset=Entity.objects.active().filter(is_contact_center=False).order_by("name"),
        required=False,
        to_field_name="code",
        empty_label=_("As the category's routing rule decides"),
        widget=FastSelect,
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = _category_choices(console_categories())

    def chosen_category(self) -> Category | None:
        return console_categories().filter(code=self.cleaned_data["category"]).first()


class LinesField(forms.CharField):
    """A list stored as JSON, edited as one item per line."""

    widget = forms.Textarea(attrs={"rows": 4})

    def prepare_value(self, value):
        if isinstance(value, list):
            return "\n".join(str(item) for item in value)
        return value

    def to_python(self, value):
        text = super().to_python(value) or ""
        return [line.strip() for line in text.splitlines() if line.strip()]


class ProcedureForm(GovukFormMixin, forms.ModelForm):
    requirements = LinesField(label=_("Requirements (one per line)"), required=False)
    documents = LinesField(label=_("Documents to bring (one per line)"), required=False)
    steps = LinesField(label=_("Steps (one per line)"), required=False)
    online_url = forms.URLField(label=_("Online service"), required=False, assume_scheme="https")
    source_url = forms.URLField(label=_("Source"), required=False, assume_scheme="https")
    reviewed_today = forms.BooleanField(
        label=_("I checked this information today"),
        required=False,
        help_text=_("Sets the review date to today; the public page says when the information was last checked."),
    )

    class Meta:
        model = Procedure
        # The fields a supervisor edits, listed once beside the service that saves them.
        fields = list(PROCEDURE_FIELDS)
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 3}),
            "summary_en": forms.Textarea(attrs={"rows": 3}),
            "who_may_apply": forms.Textarea(attrs={"rows": 2}),
            "legal_basis": forms.Textarea(attrs={"rows": 2}),
            "last_reviewed": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }
