"""Supervisors keep their entity's procedures current (`/oficina/supervision/tramites/`): the list, the
ones not reviewed within the review period, and the edit form with its "reviewed today" stamp."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from backoffice.access import staff_required
from backoffice.desk_forms import ProcedureForm
from backoffice.desk_queries import entity_procedures, supervised_entities
from backoffice.desk_services import save_procedure
from catalog.models import Procedure

from .common import chosen_entity, desk_context


@staff_required
@require_safe
def procedures(request: HttpRequest) -> HttpResponse:
    entities = supervised_entities(request.user)
    entity = chosen_entity(request, entities)
    all_procedures = entity_procedures(entity)
    context = desk_context(
        request,
        "supervision",
        page="procedures",
        entity=entity,
        entities=entities,
        procedures=list(all_procedures),
        overdue=list(all_procedures.review_overdue().order_by("last_reviewed", "name")),
        review_months=settings.PROCEDURE_REVIEW_MONTHS,
    )
    return render(request, "backoffice/desk/procedures.html", context)


@staff_required
@require_http_methods(["GET", "POST"])
def edit_procedure(request: HttpRequest, slug: str) -> HttpResponse:
    procedure = (
        Procedure.objects.filter(slug=slug, entity__in=supervised_entities(request.user)).select_related("entity").first()
    )
    if procedure is None:
        raise Http404("No such procedure among your entity's")
    status = 200
    if request.method == "POST":
        form = ProcedureForm(request.POST, instance=Procedure.objects.get(pk=procedure.pk))
        if form.is_valid():
            changes = {name: form.cleaned_data[name] for name in form.Meta.fields}
            try:
                save_procedure(procedure, changes, actor=request.user, reviewed_today=form.cleaned_data["reviewed_today"])
            except ValidationError as error:
                for name, errors in error.message_dict.items():
                    form.add_error(name if name in form.fields else None, errors)
            else:
                messages.success(request, _("Procedure saved: %(name)s.") % {"name": procedure.name})
                return redirect(reverse("backoffice:desk_procedures") + "?" + urlencode({"entidad": procedure.entity.code}))
        status = 400
    else:
        form = ProcedureForm(instance=procedure)
    context = desk_context(request, "supervision", page="procedures", entity=procedure.entity, procedure=procedure, form=form)
    return render(request, "backoffice/desk/procedure_form.html", context, status=status)
