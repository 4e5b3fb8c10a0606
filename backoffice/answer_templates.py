"""Answer templates: a category's ready answers with placeholders, validated before they are stored and
filled in when a member of staff picks one on the case page.

Placeholders (Spanish and English names for the same value):
  {numero} / {case_number}   the case's public number, 2026-000123
  {entidad} / {entity}       the entity in charge
  {categoria} / {category}   the category's name in the template's language
Write {{ and }} for literal braces. Anything else in braces is an error.

Supervisors of the entity that owns a category write its templates on
`/oficina/supervision/categorias/<code>/respuestas/` (backoffice/views/desk/answers.py), which calls
`save_template` and `delete_template` here; django-simple-history keeps every change with its author.
"""

from __future__ import annotations

from dataclasses import dataclass
from string import Formatter

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.db.models import Case as DbCase
from django.db.models import IntegerField, Q, When
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, override

PLACEHOLDERS = {
    "numero": "number",
    "case_number": "number",
    "entidad": "entity",
    "entity": "entity",
    "categoria": "category",
    "category": "category",
}
PLACEHOLDER_MEANINGS = {
    "number": gettext_lazy("the case number"),
    "entity": gettext_lazy("the entity in charge of the case"),
    "category": gettext_lazy("the category's name, in the template's language"),
}
TITLE_MAX_LENGTH = 120
# The answer a template fills is a resolution message, whose limit is the same (backoffice.forms.ANSWER_MAX_LENGTH).
BODY_MAX_LENGTH = 4000
# What the supervisors' page fills the placeholders with to show how a template reads.
EXAMPLE_NUMBER = "2026-000123"
EXAMPLE_BODY = gettext_lazy("Your case {numero} ({categoria}) was dealt with by {entidad}. Thank you for reporting it.")


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


def _fill(body: str, values: dict[str, str]) -> str:
    validate_template_body(body)
    return body.format_map({name: values[key] for name, key in PLACEHOLDERS.items()})


def render_template_body(body: str, case, language: str | None = None) -> str:
    """The template's text with the case's values in place of the placeholders."""
    with override(language or None):
        values = {
            "number": case.number,
            "entity": case.entity.name if case.entity_id else "",
            "category": case.category.name,
        }
    return _fill(body, values)


def example_values(category, language: str | None = None) -> dict[str, str]:
    """What the placeholders stand for on an example case of the category (the supervisors' page): an
    example number, the entity that owns the category, the category's name in the language."""
    with override(language or None):
        return {
            "number": EXAMPLE_NUMBER,
            "entity": category.owner.name if category.owner_id else _("the entity in charge"),
            "category": category.name,
        }


def render_example(body: str, category, language: str | None = None) -> str:
    """The template as it would read on an example case of its category."""
    return _fill(body, example_values(category, language))


def example_sentence(category, language: str | None = None) -> tuple[str, str]:
    """(a template text in the language, and how it reads on an example case of the category)."""
    with override(language or None):
        body = str(EXAMPLE_BODY)
    return body, render_example(body, category, language)


@dataclass
class Placeholder:
    names: list[str]
    meaning: str
    example: str


def placeholder_help(category, language: str | None = None) -> list[Placeholder]:
    """The placeholders, each with its Spanish and English names, what it means and its example value."""
    values = example_values(category, language)
    return [
        Placeholder([name for name, k in PLACEHOLDERS.items() if k == key], str(meaning), values[key])
        for key, meaning in PLACEHOLDER_MEANINGS.items()
    ]


def answerable_states() -> list:
    """The states a case can be resolved from, so those in which the case page offers templates: a template
    for any other state would never be seen. Read from the workflow itself (the `resolve` transition)."""
    from cases.models import Case, State

    sources = {t.source for t in Case._meta.get_field("state").get_all_transitions(Case) if t.name == "resolve"}
    return [state for state in State if state in sources]


def templates_for(case, language: str):
    """The templates offered on a case's page: its category's, for its state or for any, in the language."""
    from .models import AnswerTemplate

    return AnswerTemplate.objects.filter(category_id=case.category_id, language=language).filter(
        Q(state="") | Q(state=case.state)
    )


def category_templates(category):
    """A category's templates for its supervisors' page: the default language first, then by title."""
    from .models import AnswerTemplate

    order = DbCase(
        *[When(language=code, then=index) for index, (code, _name) in enumerate(settings.LANGUAGES)],
        default=len(settings.LANGUAGES),
        output_field=IntegerField(),
    )
    return AnswerTemplate.objects.filter(category=category).annotate(language_order=order).order_by("language_order", "title", "pk")


def last_changes(templates) -> dict:
    """{template id: its latest history record} (who changed it last, and when)."""
    from .models import AnswerTemplate

    latest: dict = {}
    records = (
        AnswerTemplate.history.filter(id__in=[t.pk for t in templates])
        .select_related("history_user")
        .order_by("id", "-history_date", "-history_id")
    )
    for record in records:
        latest.setdefault(record.id, record)
    return latest


def version_of(template) -> int:
    """The id of the template's latest history record: what an edit form saw (0 before any history)."""
    if template is None or template.pk is None:
        return 0
    return template.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0


def validate_template(*, category, title: str, body: str, language: str, state: str = "", template=None) -> dict:
    """Every problem of a template at once, as {field: message}, or the cleaned values. The same rules
    whoever saves (the supervisors' page, the admin, a script)."""
    title, body = " ".join((title or "").split()), (body or "").strip()
    errors: dict[str, list] = {}

    def refuse(field: str, message: str, code: str) -> None:
        errors.setdefault(field, []).append(ValidationError(message, code=code))

    if not title:
        refuse("title", _("Give the template a title: it is what members choose on the case page."), "required")
    elif len(title) > TITLE_MAX_LENGTH:
        refuse("title", _("Too long: %(length)d characters, the limit is %(limit)d.") % {"length": len(title), "limit": TITLE_MAX_LENGTH}, "max_length")
    if not body:
        refuse("body", _("Write the answer the template fills in."), "required")
    elif len(body) > BODY_MAX_LENGTH:
        refuse("body", _("Too long: %(length)d characters, the limit is %(limit)d.") % {"length": len(body), "limit": BODY_MAX_LENGTH}, "max_length")
    else:
        try:
            validate_template_body(body)
        except ValidationError as error:
            errors.setdefault("body", []).extend(error.error_list)
    if language not in dict(settings.LANGUAGES):
        refuse("language", _("Choose the language of the answer."), "language")
    if state and state not in answerable_states():
        refuse("state", _("Choose a state in which a case can be resolved, or any state."), "state")
    if "title" not in errors and "language" not in errors:
        others = category.answer_templates.filter(language=language)
        if template is not None and template.pk:
            others = others.exclude(pk=template.pk)
        # Compared here, not with `iexact`: SQLite folds the case of ASCII letters only ("Árbol" ≠ "árbol").
        if title.casefold() in {other.casefold() for other in others.values_list("title", flat=True)}:
            refuse("title", _("This category already has a template with this title in this language."), "unique")
    if errors:
        raise ValidationError(errors)
    return {"title": title, "body": body, "language": language, "state": state or ""}


def _template_changed(current) -> ValidationError:
    last = current.history.select_related("history_user").order_by("-history_id").first()
    who = last.history_user.get_username() if last and last.history_user else _("someone else")
    return ValidationError(
        {
            NON_FIELD_ERRORS: ValidationError(
                _(
                    "%(who)s changed this template while you were editing it. Its saved text is shown below the form; "
                    "save again to replace it with yours."
                )
                % {"who": who},
                code="stale",
            )
        }
    )


@transaction.atomic
def save_template(
    *, category, title: str, body: str, language: str, state: str = "", template=None, actor=None, seen_version: int | None = None
):
    """Create or update a template after validating it (the supervisors' editing page calls this).
    `seen_version` (from `version_of`) refuses an edit made over someone else's newer change.
    Raises ValidationError {field: messages}; nothing is stored then."""
    from .models import AnswerTemplate

    if template is not None and template.pk:
        template = AnswerTemplate.objects.select_for_update().filter(pk=template.pk, category=category).first()
        if template is None:
            raise AnswerTemplate.DoesNotExist("This template was deleted")
        if seen_version is not None and version_of(template) != seen_version:
            raise _template_changed(template)
    else:
        template = AnswerTemplate()
    values = validate_template(category=category, title=title, body=body, language=language, state=state, template=template)
    template.category = category
    for name, value in values.items():
        setattr(template, name, value)
    template.full_clean()
    template._history_user = actor
    template.save()
    return template


@transaction.atomic
def delete_template(template, *, actor=None) -> None:
    """Remove a template; its history (with who removed it) stays for the audit page."""
    from .models import AnswerTemplate

    locked = AnswerTemplate.objects.select_for_update().filter(pk=template.pk).first()
    if locked is None:
        return
    locked._history_user = actor
    locked.delete()
