"""The oversight investigators' view (`/oficina/fiscalizacion/`): sensitive complaints only, which
`Case.objects.visible_to()` gives to investigators and to nobody else; their attachments; and for an
anonymous complaint, the page says that no reporter data exists."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST, require_safe

from backoffice.access import staff_required
from backoffice.desk_queries import LIST_PAGE_SIZE, encode_cursor, parse_cursor
from backoffice.desk_services import record_contact_access
from cases.models import OPEN_STATES, Attachment, Case, CaseContact
from cases.permissions import sees_contact
from entities.querysets import Roles

from .common import desk_context


def _sensitive_cases(user):
    if not Roles.of(user).is_investigator:
        raise PermissionDenied
    return Case.objects.visible_to(user).filter(category__sensitive=True)


def _case_or_404(user, number: str) -> Case:
    case = _sensitive_cases(user).select_related("category", "entity", "district", "assignee").filter(number=number).first()
    if case is None:
        raise Http404("No such complaint")
    return case


@staff_required
@require_safe
def cases(request: HttpRequest) -> HttpResponse:
    show_all = request.GET.get("estado") == "todos"
    rows = _sensitive_cases(request.user).select_related("category", "entity").order_by("-created_at", "-pk")
    if not show_all:
        rows = rows.filter(state__in=OPEN_STATES)
    cursor = parse_cursor(request.GET.get("antes", ""))
    if cursor:
        stamp, pk = cursor
        rows = rows.filter(Q(created_at__lt=stamp) | Q(created_at=stamp, pk__lt=pk))
    page = list(rows[: LIST_PAGE_SIZE + 1])
    more = len(page) > LIST_PAGE_SIZE
    page = page[:LIST_PAGE_SIZE]
    context = desk_context(
        request,
        "oversight",
        cases=page,
        show_all=show_all,
        next_cursor=encode_cursor(page[-1].created_at, page[-1].pk) if more else "",
    )
    return render(request, "backoffice/desk/oversight_list.html", context)


def _case_page(request: HttpRequest, case: Case, *, contact: CaseContact | None = None) -> HttpResponse:
    has_contact = not case.is_anonymous and CaseContact.objects.filter(case=case).exists()
    context = desk_context(
        request,
        "oversight",
        case=case,
        events=case.events.select_related("actor", "entity").order_by("created_at", "pk"),
        attachments=case.attachments.order_by("created_at", "pk"),
        has_contact=has_contact,
        contact=contact,
    )
    return render(request, "backoffice/desk/oversight_case.html", context)


@staff_required
@require_safe
def case(request: HttpRequest, number: str) -> HttpResponse:
    return _case_page(request, _case_or_404(request.user, number))


@staff_required
@require_POST
def contact(request: HttpRequest, number: str) -> HttpResponse:
    """"Show contact": the reporter's data, shown on request and recorded in the access log."""
    case = _case_or_404(request.user, number)
    found = CaseContact.objects.filter(case=case).first() if not case.is_anonymous else None
    if found is None or not sees_contact(request.user, case):
        raise Http404("No reporter data")
    record_contact_access(case, request.user)
    return _case_page(request, case, contact=found)


@staff_required
@require_safe
def attachment(request: HttpRequest, number: str, pk: int) -> HttpResponse:
    case = _case_or_404(request.user, number)
    found = Attachment.objects.filter(pk=pk, case=case).only("file", "content_type").first()
    if found is None:
        raise Http404("No such attachment")
    try:
        handle = found.file.open("rb")
    except FileNotFoundError as error:
        raise Http404("The file is missing") from error
    response = FileResponse(handle, content_type=found.content_type)
    # A complainant's file is evidence: never cached by a shared proxy, never run as a page.
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
