"""Forms of the public catalog pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from cases.models import Category

from .services import OUTDATED_ATTRIBUTE

# A search box is not an essay: longer queries are cut, never refused.
QUERY_MAX_LENGTH = 200


def search_query(raw: str | None) -> str:
    return " ".join((raw or "").split())[:QUERY_MAX_LENGTH]


def outdated_kinds() -> list[tuple[str, str]]:
    """The kinds of information a citizen may tick, from the category's own question, in the reader's language."""
    category = Category.objects.active().filter(code=settings.CATALOG_OUTDATED_CATEGORY).first()
    attribute = category.attributes.filter(code=OUTDATED_ATTRIBUTE).first() if category else None
    return attribute.localized_values() if attribute is not None else []


class OutdatedReportForm(forms.Form):
    """"Report outdated information". Length and email are checked by cases.validation, like every
    other way of filing a case, and its errors come back onto these fields."""

    kinds = forms.MultipleChoiceField(
        label=_("What is out of date? (optional)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    what_is_wrong = forms.CharField(
        label=_("What is wrong or missing on this page?"),
        help_text=_("For example: the fee changed, the office moved, a requirement is no longer asked for."),
        widget=forms.Textarea(attrs={"rows": 5}),
        strip=False,
        error_messages={"required": _("Say what is wrong or out of date on this page.")},
    )
    email = forms.CharField(
        label=_("Email address (optional)"),
        help_text=_("Only if you want the institution to be able to write to you about your report."),
        required=False,
        max_length=254,
        error_messages={"max_length": _("Enter a valid email address.")},
    )

    # Where cases.validation's field names land on this form.
    CASE_FIELDS = {"description": "what_is_wrong", "email": "email", f"attribute[{OUTDATED_ATTRIBUTE}]": "kinds"}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kinds"].choices = outdated_kinds()

    def clean_what_is_wrong(self) -> str:
        text = self.cleaned_data["what_is_wrong"]
        if not text.strip():
            raise ValidationError(self.fields["what_is_wrong"].error_messages["required"], code="required")
        return text

    def add_case_errors(self, error: ValidationError) -> None:
        for case_field, errors in error.error_dict.items():
            target = self.CASE_FIELDS.get(case_field)
            for item in errors:
                message = item.message % item.params if item.params else item.message
                self.add_error(target, ValidationError(message, code=item.code))
