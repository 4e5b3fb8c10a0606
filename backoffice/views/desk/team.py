"""Supervisors' pages (`/oficina/supervision/`): team workload, the overdue list, the settings of the
categories their entity owns (service level here; answer templates in `answers.py`) and the open
"outdated information" reports. Only supervisors of the entity (`Roles.supervisor_entities`); another
entity's page is a 404."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from backoffice.access import staff_required
from backoffice.desk_forms import ServiceLevelForm
from backoffice.desk_queries import (
    entity_procedures,
    outdated_reports,
    overdue_cases,
    owned_categories,
    supervised_entities,
    team_workload,
)
from backoffice.desk_services import set_service_level

from .common import chosen_entity, desk_context


def _supervision_context(request: HttpRequest, page: str, entity=None, **extra) -> dict:
    entities = supervised_entities(request.user)
    entity = entity or chosen_entity(request, entities)
    return desk_context(request, "supervision", page=page, entity=entity, entities=entities, **extra)


@staff_required
@require_safe
def workload(request: HttpRequest) -> HttpResponse:
    context = _supervision_context(request, "workload")
    entity = context["entity"]
    rows = team_workload(request.user, entity)
    context.update(
        rows=rows,
        totals={
            "open": sum(r.open for r in rows),
            "overdue": sum(r.overdue for r in rows),
            "resolved_this_month": sum(r.resolved_this_month for r in rows),
        },
        month=timezone.localdate(),
        review_overdue_count=entity_procedures(entity).review_overdue().count(),
        outdated_count=outdated_reports(request.user, entity).count(),
    )
    return render(request, "backoffice/desk/workload.html", context)


@staff_required
@require_safe
def overdue(request: HttpRequest) -> HttpResponse:
    context = _supervision_context(request, "overdue")
    cases, next_cursor = overdue_cases(request.user, context["entity"], after=request.GET.get("despues", ""))
    next_url = ""
    if next_cursor:
        next_url = "?" + urlencode({"entidad": context["entity"].code, "despues": next_cursor})
    context.update(cases=cases, next_url=next_url, now=timezone.now())
    return render(request, "backoffice/desk/overdue.html", context)


def _category_rows(entity, bound: ServiceLevelForm | None = None, bound_pk: int | None = None) -> list:
    """(category with its number of answer templates, its service-level form) for each category the entity owns."""
    return [
        (c, bound if c.pk == bound_pk else ServiceLevelForm(initial={"sla_business_days": c.sla_business_days}, prefix=c.code))
        for c in owned_categories([entity]).annotate(template_count=Count("answer_templates"))
    ]


@staff_required
@require_safe
def categories(request: HttpRequest) -> HttpResponse:
    context = _supervision_context(request, "categories")
    context.update(rows=_category_rows(context["entity"]))
    return render(request, "backoffice/desk/categories.html", context)


@staff_required
@require_POST
def category_settings(request: HttpRequest, code: str) -> HttpResponse:
    category = owned_categories(supervised_entities(request.user)).filter(code=code).select_related("owner").first()
    if category is None:
        raise Http404("No such category among yours")
    form = ServiceLevelForm(request.POST, prefix=category.code)
    target = reverse("backoffice:desk_categories") + "?" + urlencode({"entidad": category.owner.code})
    if form.is_valid():
        try:
            set_service_level(category, form.cleaned_data["sla_business_days"], actor=request.user)
        except ValidationError as error:
            form.add_error("sla_business_days", error.message_dict.get("sla_business_days", error.messages))
        else:
            messages.success(
                request,
                _("%(category)s: service level saved. New cases get the new due date.") % {"category": category.name},
            )
            return redirect(target)
    context = _supervision_context(request, "categories", entity=category.owner)
    context.update(rows=_category_rows(context["entity"], form, category.pk))
    return render(request, "backoffice/desk/categories.html", context, status=400)


@staff_required
@require_safe
def outdated(request: HttpRequest) -> HttpResponse:
    context = _supervision_context(request, "outdated")
    context.update(cases=list(outdated_reports(request.user, context["entity"])[:200]))
    return render(request, "backoffice/desk/outdated.html", context)
