"""The case page, "show contact" (recorded in the access log) and the staff attachment view."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases import permissions
from cases.models import Attachment, Case, CaseContact
from cases.sla import WorkCalendar

from .. import case_page
from ..access import staff_required
from ..answer_templates import render_template_body, templates_for
from ..forms import (
    AssignForm,
    ChangeCategoryForm,
    DuplicateForm,
    EmptyActionForm,
    MessageForm,
    ModerateForm,
    RejectForm,
    RequestInfoForm,
    ResolveForm,
    TransferForm,
)
from ..desk_services import record_contact_access
from ..moderation import suggest_redaction


FORM_CLASSES = {
    "take": EmptyActionForm,
    "assign": AssignForm,
    "reassign": AssignForm,
    "take_over": EmptyActionForm,
    "start": EmptyActionForm,
    "request_info": RequestInfoForm,
    "resolve": ResolveForm,
    "transfer": TransferForm,
    "reject": RejectForm,
    "duplicate": DuplicateForm,
    "change_category": ChangeCategoryForm,
    "moderate": ModerateForm,
    "note": MessageForm,
    "comment": MessageForm,
}


def case_for(request: HttpRequest, number: str) -> Case:
    """The case if the user may see it, else 404 (the same answer for "not yours" and "no such case")."""
    return get_object_or_404(
        Case.objects.visible_to(request.user).select_related(
            "category", "entity", "district__province", "assignee", "duplicate_of", "procedure"
        ).defer("district__geometry"),
        number=number,
    )


def build_forms(request: HttpRequest, case: Case, version: int, actions: set[str], attachments: list, bound: dict | None = None) -> dict:
    """One form per action the page offers (the template shows no other, and building the rest was work for
    nothing); `bound` replaces the one that was posted (with its errors)."""
    initial = {"version": version}
    people = case_page.colleagues(case)
    language = (get_language() or settings.LANGUAGE_CODE)[:2]
    answer = ""
    template_pk = request.GET.get("plantilla")
    rendered = []
    if "resolve" in actions:  # the answer templates are offered in the resolve form only
        rendered = [(t, render_template_body(t.body, case, language)) for t in templates_for(case, language)]
    if template_pk:
        answer = next((text for t, text in rendered if str(t.pk) == template_pk), "")
    extra = {
        "assign": {"colleagues": people},
        "reassign": {"colleagues": people},
        "transfer": {"case": case},
        "change_category": {"case": case},
        "moderate": {"attachments": attachments},
    }
    initial_for = {"resolve": {"message": answer}}
    if "moderate" in actions:
        initial_for["moderate"] = {"public_description": case.public_description or suggest_redaction(case.description)}
    forms = {
        name: form_class(initial={**initial, **initial_for.get(name, {})}, prefix=name, **extra.get(name, {}))
        for name, form_class in FORM_CLASSES.items()
        if name in actions
    }
    forms.update(bound or {})
    return {"forms": forms, "templates": rendered, "chosen_template": template_pk or ""}


def render_case(request: HttpRequest, case: Case, *, bound=None, changed=None, contact=None, status=200) -> HttpResponse:
    timeline = case_page.timeline(case)
    # The forms' version is the newest event of the timeline the reader sees (what version_of() reads, from
    # the rows already here: one query fewer, and never a version newer than the page shows).
    version = max((entry.event.pk for entry in timeline), default=0)
    calendar = WorkCalendar()
    actions = case_page.available_actions(request.user, case)
    attachments = list(case.attachments.all())
    context = {
        "case": case,
        "version": version,
        "level": case.service_level(calendar=calendar),
        "timeline": timeline,
        "attachments": attachments,
        "answers": case_page.attribute_answers(case),
        "nearby": case_page.nearby(case, Case.objects.visible_to(request.user)),
        "actions": actions,
        "sees_contact": permissions.sees_contact(request.user, case) and not case.is_anonymous,
        "contact": contact,
        "changed": changed,
        "duplicates": list(case.duplicates.only("number", "state")),
        "map": {"lat": case.lat, "lon": case.lon, "tiles": settings.MAP_TILE_URL, "attribution": settings.MAP_TILE_ATTRIBUTION},
        **build_forms(request, case, version, actions, attachments, bound),
    }
    return render(request, "backoffice/case.html", context, status=status)


@require_GET
@staff_required
def case_detail(request: HttpRequest, number: str) -> HttpResponse:
    return render_case(request, case_for(request, number))


@require_POST
@staff_required
def show_contact(request: HttpRequest, number: str) -> HttpResponse:
    """The reporter's contact, for this response only; the viewing is logged (who, when, which case)."""
    case = case_for(request, number)
    if not permissions.sees_contact(request.user, case) or case.is_anonymous:
        messages.error(request, _("You may not see the reporter's contact for this case."))
        return render_case(request, case, status=403)
    contact = CaseContact.objects.filter(case=case).first()
    record_contact_access(case, request.user)
    response = render_case(request, case, contact=contact or False)
    response["Cache-Control"] = "no-store"
    return response


@require_GET
@staff_required
def attachment(request: HttpRequest, pk: int) -> HttpResponse:
    """A case's file for staff who may see the case (public or hidden from the public alike)."""
    item = Attachment.objects.filter(pk=pk, case__in=Case.objects.visible_to(request.user)).only("file", "content_type").first()
    if item is None:
        raise Http404
    try:
        handle = item.file.open("rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    response = FileResponse(handle, content_type=item.content_type)
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["Content-Disposition"] = f'inline; filename="{pk}"'
    return response
