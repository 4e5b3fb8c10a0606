"""A category's answer templates, for the supervisors of the entity that owns it
(`/oficina/supervision/categorias/<code>/respuestas/`): the list with a preview of each, a form to add
one, the edit form and the confirmed removal. Another entity's category, a sensitive one, a municipal
one (no owner: administrators set those) and another category's template are all a 404.

Reading and rules are in `backoffice.answer_templates`; saving goes through its `save_template` and
`delete_template`, which keep every change in the history with the supervisor who made it."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from backoffice.access import staff_required
from backoffice.answer_templates import (
    category_templates,
    delete_template,
    example_sentence,
    last_changes,
    placeholder_help,
    render_example,
    save_template,
    version_of,
)
from backoffice.desk_forms import AnswerTemplateForm
from backoffice.desk_queries import owned_categories, supervised_entities
from backoffice.models import AnswerTemplate

from .common import desk_context

PREVIEW = "vista_previa"


def _language() -> str:
    return (get_language() or settings.LANGUAGE_CODE)[:2]


def _category(request: HttpRequest, code: str):
    category = owned_categories(supervised_entities(request.user)).filter(code=code).select_related("owner").first()
    if category is None:
        raise Http404("No such category among yours")
    return category


def _template(category, pk: int) -> AnswerTemplate:
    template = AnswerTemplate.objects.filter(pk=pk, category=category).first()
    if template is None:
        raise Http404("No such template in this category")
    return template


def _list_url(category) -> str:
    return reverse("backoffice:desk_answer_templates", args=[category.code])


def _preview(form: AnswerTemplateForm, category) -> str:
    if form.is_valid():
        return render_example(form.cleaned_data["body"], category, form.cleaned_data["language"])
    return ""


def _page(request: HttpRequest, name: str, category, *, status: int = 200, **extra) -> HttpResponse:
    context = desk_context(
        request,
        "supervision",
        page="categories",
        entity=category.owner,
        category=category,
        placeholders=placeholder_help(category, _language()),
        example=example_sentence(category, _language()),
        **extra,
    )
    return render(request, f"backoffice/desk/{name}.html", context, status=status)


def _save(request: HttpRequest, form: AnswerTemplateForm, category, template=None) -> AnswerTemplate | None:
    """The form's template stored, or None with the service's refusal on the form."""
    if not form.is_valid():
        return None
    try:
        return save_template(
            category=category,
            template=template,
            actor=request.user,
            seen_version=form.cleaned_data["version"] if template is not None else None,
            **form.template_fields(),
        )
    except AnswerTemplate.DoesNotExist as error:
        raise Http404("The template was deleted meanwhile") from error
    except ValidationError as error:
        form.add_service_errors(error)
        return None


@staff_required
@require_http_methods(["GET", "POST"])
def answer_templates(request: HttpRequest, code: str) -> HttpResponse:
    """The list of the category's templates and, below it, the form to add one (posted here)."""
    category = _category(request, code)
    preview, status = "", 200
    if request.method == "POST":
        form = AnswerTemplateForm(request.POST, category=category)
        if PREVIEW in request.POST:
            preview = _preview(form, category)
        elif (saved := _save(request, form, category)) is not None:
            messages.success(request, _("Template added: %(title)s.") % {"title": saved.title})
            return redirect(_list_url(category))
        status = 400 if form.errors else 200
    else:
        form = AnswerTemplateForm(initial={"language": _language()}, category=category)
    templates = list(category_templates(category))
    changes = last_changes(templates)
    rows = [(t, render_example(t.body, category, t.language), changes.get(t.pk)) for t in templates]
    return _page(request, "answer_templates", category, status=status, form=form, preview=preview, rows=rows)


@staff_required
@require_http_methods(["GET", "POST"])
def answer_template(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """One template's edit form. The form carries the version it was read at: saving over a colleague's
    newer change is refused with their name, and the saved text is shown beside the form."""
    category = _category(request, code)
    template = _template(category, pk)
    preview, status, current = "", 200, None
    if request.method == "POST":
        form = AnswerTemplateForm(request.POST, category=category, template=template)
        if PREVIEW in request.POST:
            preview = _preview(form, category)
        elif _save(request, form, category, template) is not None:
            messages.success(request, _("Template saved: %(title)s.") % {"title": form.cleaned_data["title"]})
            return redirect(_list_url(category))
        if form.has_error("__all__", "stale"):
            template.refresh_from_db()
            current = template
            form.data = form.data.copy()
            form.data["version"] = version_of(template)  # saving again replaces the colleague's text, knowingly
        status = 400 if form.errors else 200
    else:
        fields = {name: getattr(template, name) for name in ("title", "body", "language", "state")}
        form = AnswerTemplateForm(initial={**fields, "version": version_of(template)}, category=category, template=template)
        preview = render_example(template.body, category, template.language)
    return _page(
        request, "answer_template_form", category, status=status, form=form, template=template, preview=preview, current=current
    )


@staff_required
@require_http_methods(["GET", "POST"])
def delete_answer_template(request: HttpRequest, code: str, pk: int) -> HttpResponse:
    """GET asks for confirmation (showing the template); POST removes it."""
    category = _category(request, code)
    template = _template(category, pk)
    if request.method == "POST":
        delete_template(template, actor=request.user)
        messages.success(request, _("Template deleted: %(title)s.") % {"title": template.title})
        return redirect(_list_url(category))
    return _page(
        request,
        "answer_template_delete",
        category,
        template=template,
        preview=render_example(template.body, category, template.language),
    )
