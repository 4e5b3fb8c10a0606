"""Forms of the back office. Every form renders GOV.UK Frontend classes (GovukForm) and carries, where it
changes a case, the case's version (the last event id it saw) for the optimistic check."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from cases.models import Category, Channel, RejectionReason, State
from entities.models import District, Entity

from . import options
from .widgets import FastSelect, OptionList, PythonWidgetRenderer, QuerysetOptions

WIDGET_CLASSES = {
    forms.Textarea: "govuk-textarea",
    forms.Select: "govuk-select",
    FastSelect: "govuk-select",
    forms.SelectMultiple: "govuk-select",
    forms.CheckboxInput: "govuk-checkboxes__input",
    forms.PasswordInput: "govuk-input",
}
ANSWER_MAX_LENGTH = 4000


class GovukForm(forms.Form):
    default_renderer = PythonWidgetRenderer()

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if type(field.widget) is forms.Select:
                # The same select, written in Python (see FastSelect): the queue and case pages carry
                # selects of every entity, category and district, and option templates were most of
                # their time. The form's own copy of the widget changes, not the declared field.
                field.widget.__class__ = FastSelect
            css = next((c for kind, c in WIDGET_CLASSES.items() if type(field.widget) is kind), "govuk-input")
            field.widget.attrs.setdefault("class", css)

    def full_clean(self) -> None:
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = f"{attrs['class']} {attrs['class'].split()[0]}--error"
                attrs["aria-describedby"] = f"{self[name].auto_id}-error"


class PasswordForm(GovukForm):
    username = forms.CharField(label=_("Username"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "username", "autofocus": True}))
    password = forms.CharField(label=_("Password"), max_length=200, strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))


class CodeForm(GovukForm):
    code = forms.CharField(
        label=_("Code from your authenticator app"),
        max_length=12,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )


# --- The case page's actions -----------------------------------------------------------------------


class VersionedForm(GovukForm):
    version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


def _colleague(user) -> str:
    return user.get_full_name() or user.get_username()


class AssignForm(VersionedForm):
    assignee = forms.ModelChoiceField(label=_("Assign to"), queryset=get_user_model().objects.none(), to_field_name="username")

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        if colleagues is not None:
            field.queryset = colleagues
            # Written from `colleagues` itself (its rows are kept after the first read), not from the field's
            # copy; the copy checks what is posted.
            field.widget.choices = OptionList(QuerysetOptions(colleagues, lambda user: user.username, _colleague), field.empty_label)
        field.label_from_instance = _colleague


class EmptyActionForm(VersionedForm):
    """start: nothing to fill in."""


class MessageForm(VersionedForm):
    message = forms.CharField(label=_("Message"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))


class RequestInfoForm(VersionedForm):
    message = forms.CharField(label=_("What do you need to know from the citizen?"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 4}))


class ResolveForm(VersionedForm):
    message = forms.CharField(
        label=_("Answer for the citizen (public)"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 6})
    )


class TransferForm(VersionedForm):
    entity = forms.ModelChoiceField(label=_("Transfer to"), queryset=Entity.objects.none(), to_field_name="code")
    reason = forms.CharField(label=_("Why (the citizen reads it)"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        entities = Entity.objects.active().only("code", "name", "acronym").order_by("name")
        field = self.fields["entity"]
        field.queryset = entities.exclude(pk=case.entity_id) if case else entities
        # The same entities, from the cached options (the queryset checks what is posted).
        field.widget.choices = options.entities(field.empty_label, exclude_pk=case.entity_id if case else None)


class RejectForm(VersionedForm):
    reason = forms.ChoiceField(
        label=_("Reason"), choices=[(RejectionReason.NOT_COMPETENT, RejectionReason.NOT_COMPETENT.label), (RejectionReason.SPAM, RejectionReason.SPAM.label)]
    )
    message = forms.CharField(label=_("Explanation for the citizen"), max_length=ANSWER_MAX_LENGTH, widget=forms.Textarea(attrs={"rows": 3}))


class DuplicateForm(VersionedForm):
    original = forms.CharField(label=_("Number of the original case"), max_length=16, widget=forms.TextInput(attrs={"placeholder": "2026-000123", "class": "govuk-input govuk-input--width-10"}))
    message = forms.CharField(label=_("Message for the citizen (optional)"), max_length=1000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChangeCategoryForm(VersionedForm):
    category = forms.ModelChoiceField(label=_("New category"), queryset=Category.objects.none(), to_field_name="code")

    def __init__(self, *args, case=None, **kwargs):
        super().__init__(*args, **kwargs)
        categories = Category.objects.active().order_by("group_es", "name_es")
        if case is not None:
            categories = categories.filter(sensitive=case.category.sensitive).exclude(pk=case.category_id)
        field = self.fields["category"]
        field.queryset = categories
        # The same categories, from the cached options (the queryset checks what is posted).
        field.widget.choices = options.categories(
            field.empty_label,
            active_only=True,
            sensitive=case.category.sensitive if case is not None else None,
            exclude_pk=case.category_id if case is not None else None,
        )


class ModerateForm(VersionedForm):
    public_description = forms.CharField(
        label=_("Description as the public sees it"),
        max_length=settings.CASE_DESCRIPTION_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Remove names, phone numbers, e-mail addresses, ID numbers and home addresses. The original stays here for staff."),
    )
    hide_photos = forms.MultipleChoiceField(label=_("Hide these files from the public"), required=False, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, attachments=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["hide_photos"].choices = [(str(a.pk), str(a.pk)) for a in attachments]
        self.fields["hide_photos"].widget.attrs["class"] = "govuk-checkboxes__input"


# --- The queue ---------------------------------------------------------------------------------------

SORTS = [("due", _("Due date, soonest first")), ("oldest", _("Oldest first")), ("newest", _("Newest first"))]
LEVELS = [("", _("Any")), ("overdue", _("Overdue")), ("due_soon", _("Due within 2 business days"))]
ASSIGNED = [("", _("Anyone or nobody")), ("me", _("Assigned to me")), ("none", _("Unassigned"))]
OPEN = "open"


class QueueForm(GovukForm):
    q = forms.CharField(label=_("Number or text"), required=False, max_length=100)
    state = forms.ChoiceField(label=_("State"), required=False, choices=[(OPEN, _("Open")), ("all", _("All")), *State.choices])
    category = forms.ModelChoiceField(label=_("Category"), required=False, queryset=Category.objects.all(), to_field_name="code", empty_label=_("Any"))
    district = forms.ModelChoiceField(label=_("District"), required=False, queryset=District.objects.select_related("province").defer("geometry").order_by("name"), to_field_name="code", empty_label=_("Any"))
    channel = forms.ChoiceField(label=_("Channel"), required=False, choices=[("", _("Any")), *Channel.choices])
    assigned = forms.ChoiceField(label=_("Assigned"), required=False, choices=ASSIGNED)
    level = forms.ChoiceField(label=_("Service level"), required=False, choices=LEVELS)
    sort = forms.ChoiceField(label=_("Sort by"), required=False, choices=SORTS)
    after = forms.CharField(required=False, max_length=80, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The lists as the querysets above would give them, from the cached options (the querysets still
        # check a chosen value).
        for name, cached in (("category", options.categories), ("district", options.districts)):
            self.fields[name].widget.choices = cached(self.fields[name].empty_label)


class SaveFilterForm(GovukForm):
    name = forms.CharField(label=_("Name of this filter"), max_length=80)
    query = forms.CharField(max_length=500, required=False, widget=forms.HiddenInput)


class BulkForm(GovukForm):
    ACTIONS = [("assign", _("Assign to")), ("transfer", _("Transfer to"))]
    cases = forms.MultipleChoiceField(label=_("Cases"), widget=forms.MultipleHiddenInput)
    action = forms.ChoiceField(label=_("Action"), choices=ACTIONS)
    assignee = forms.CharField(label=_("Assign to (username)"), required=False, max_length=150)
    entity = forms.ModelChoiceField(label=_("Transfer to"), required=False, queryset=Entity.objects.none(), to_field_name="code", empty_label="—")
    reason = forms.CharField(label=_("Reason for the transfer"), required=False, max_length=1000)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entity"].queryset = Entity.objects.active().only("code", "name", "acronym").order_by("name")
        self.fields["entity"].widget.choices = options.entities(self.fields["entity"].empty_label)
        # The numbers are checked against what the user may see after validation, not as fixed choices.
        self.fields["cases"].valid_value = lambda value: isinstance(value, str) and len(value) <= 16
