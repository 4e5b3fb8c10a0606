"""`{{ field|govuk_field }}`: one form field in GOV.UK markup, the same as backoffice/includes/field.html,
written in Python. The queue page has thirteen fields and the case page some fifteen; as includes they
were a fifth of the pages' template time."""

from __future__ import annotations

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def govuk_field(field) -> SafeString:
    errors = field.errors
    auto_id = conditional_escape(field.auto_id)
    hint = (
        f'<div class="govuk-hint" id="{auto_id}-hint">{conditional_escape(field.help_text)}</div>' if field.help_text else ""
    )
    messages = "".join(
        f'<p class="govuk-error-message" id="{auto_id}-error"><span class="govuk-visually-hidden">Error:</span> {conditional_escape(error)}</p>'
        for error in errors
    )
    return mark_safe(  # noqa: S308 - every value is escaped above; str(field) is the widget's own safe markup
        f'<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">\n'
        f'  <label class="govuk-label govuk-label--s" for="{conditional_escape(field.id_for_label)}">{conditional_escape(field.label)}</label>\n'
        f"  {hint}\n"
        f"  {messages}\n"
        f"  {conditional_escape(field)}\n"
        "</div>\n"
    )
