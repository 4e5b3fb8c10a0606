"""Answer templates: a category's ready answers with placeholders, validated before they are stored and
filled in when a member of staff picks one on the case page.

Placeholders (Spanish and English names for the same value):
  {numero} / {case_number}   the case's public number, 2026-000123
  {entidad} / {entity}       the entity in charge
  {categoria} / {category}   the category's name in the template's language
Write {{ and }} for literal braces. Anything else in braces is an error.
"""

from __future__ import annotations

from string import Formatter

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import override

PLACEHOLDERS = {
    "numero": "number",
    "case_number": "number",
    "entidad": "entity",
    "entity": "entity",
    "categoria": "category",
    "category": "category",
}


def _fields(body: str) -> list[tuple[str, str, str]]:
    try:
        return [(name, spec or "", conv or "") for _text, name, spec, conv in Formatter().parse(body) if name is not None]
    except ValueError as error:
        raise ValidationError(
            _("A brace is not closed. Write placeholders as {numero}, and {{ or }} for a brace itself."), code="braces"
        ) from error


def validate_template_body(body: str) -> None:
    """Raises ValidationError naming every unknown placeholder (or a broken brace)."""
    unknown = sorted({name for name, spec, conv in _fields(body) if name not in PLACEHOLDERS or spec or conv})
    if unknown:
        raise ValidationError(
            _("Unknown placeholder: %(names)s. Use %(known)s.")
            % {"names": ", ".join("{%s}" % name for name in unknown), "known": ", ".join("{%s}" % p for p in PLACEHOLDERS)},
            code="placeholder",
        )


def render_template_body(body: str, case, language: str | None = None) -> str:
    """The template's text with the case's values in place of the placeholders."""
    validate_template_body(body)
    with override(language or None):
        values = {
            "number": case.number,
            "entity": case.entity.name if case.entity_id else "",
            "category": case.category.name,
        }
    return body.format_map({name: values[key] for name, key in PLACEHOLDERS.items()})


def templates_for(case, language: str):
    """The templates offered on a case's page: its category's, for its state or for any, in the language."""
    from .models import AnswerTemplate

    return AnswerTemplate.objects.filter(category_id=case.category_id, language=language).filter(
        Q(state="") | Q(state=case.state)
    )


def save_template(*, category, title: str, body: str, language: str, state: str = "", template=None):
    """Create or update a template after validating its body (the supervisors' editing page calls this)."""
    from .models import AnswerTemplate

    validate_template_body(body)
    template = template or AnswerTemplate()
    template.category, template.title, template.body, template.language, template.state = category, title, body, language, state
    template.full_clean()
    template.save()
    return template
