"""The 311 agent console (`/oficina/agente/`): one screen for a phone call. Find the caller's cases,
answer from the catalog, file a case for the caller, or record a call that needed no case."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from backoffice.access import staff_required
from backoffice.desk_forms import InformationContactForm, PhoneCaseForm
from backoffice.desk_queries import console_cases, find_callers_cases
from backoffice.desk_services import file_phone_case, record_information_contact
from catalog.forms import search_query
from catalog.search import search_procedures
from entities.models import Entity
from entities.querysets import Roles

from .common import desk_context

FILED_CASE_KEY = "desk:filed_case"
CATALOG_ANSWERS = 5


def _require_agent(user) -> None:
    if not Roles.of(user).is_agent:
        raise PermissionDenied


def _render_console(
    request: HttpRequest,
    *,
    case_form: PhoneCaseForm | None = None,
    info_form: InformationContactForm | None = None,
    status: int = 200,
) -> HttpResponse:
    search = find_callers_cases(request.user, request.GET.get("q", ""))
    question = search_query(request.GET.get("pregunta"))
    answers = search_procedures(question, limit=CATALOG_ANSWERS) if question else []
    if case_form is None:
        case_form = PhoneCaseForm(initial=search.prefill)
    if info_form is None:
        info_form = InformationContactForm()
    filed = None
    filed_pk = request.session.pop(FILED_CASE_KEY, None) if status == 200 else None
    if filed_pk:
        # Shown once, right after filing: the caller hears the number and the tracking code.
        filed = console_cases(request.user).select_related("category", "entity").filter(pk=filed_pk).first()
    if case_form.errors:
        focus = "error-summary"
    elif search.query and not search.cases and search.kind:
        focus = case_form["category"].auto_id  # a new caller: straight to the new case
        case_form.fields["category"].widget.attrs["autofocus"] = True
    elif question:
        focus = "pregunta"
    else:
        focus = "q"
    context = desk_context(
        request,
        "agent",
        search=search,
        question=question,
        answers=answers,
        case_form=case_form,
        info_form=info_form,
        filed=filed,
        focus=focus,
        oversight_bodies=Entity.objects.oversight().filter(active=True).order_by("name"),
    )
    return render(request, "backoffice/desk/console.html", context, status=status)


@staff_required
@require_safe
def console(request: HttpRequest) -> HttpResponse:
    _require_agent(request.user)
    return _render_console(request)


@staff_required
@require_POST
def file_case(request: HttpRequest) -> HttpResponse:
    _require_agent(request.user)
    form = PhoneCaseForm(request.POST)
    if form.is_valid():
        try:
            case = file_phone_case(form.to_new_case((get_language() or settings.LANGUAGE_CODE)[:2]), agent=request.user)
        except ValidationError as error:
            form.add_case_errors(error)
        else:
            request.session[FILED_CASE_KEY] = case.pk
            return redirect("backoffice:desk_console")
    return _render_console(request, case_form=form, status=400)


@staff_required
@require_POST
def record_information(request: HttpRequest) -> HttpResponse:
    _require_agent(request.user)
    form = InformationContactForm(request.POST)
    if form.is_valid():
        try:
            record_information_contact(
                agent=request.user,
                topic=form.cleaned_data["topic"],
                entity=form.cleaned_data["entity"],
                procedure=form.cleaned_data["procedure"],
                channel=form.cleaned_data["channel"],
            )
        except ValidationError as error:
            form.add_case_errors(error)
        else:
            messages.success(request, _("Information-only contact recorded. It counts in the published figures."))
            return redirect("backoffice:desk_console")
    return _render_console(request, info_form=form, status=400)
