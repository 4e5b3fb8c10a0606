"""The 311 triage queue (`/oficina/triaje/`): cases no rule could route. Agents recategorise them and
send them to the entity that should work them (`cases.services.triage_route`)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from backoffice.access import staff_required
from backoffice.desk_forms import TriageRouteForm
from backoffice.desk_queries import LIST_PAGE_SIZE, encode_cursor, parse_cursor
from cases.models import OPEN_STATES, Case, Channel
from cases.permissions import may_route_from_triage
from cases.services import Actor, InvalidTransition, triage_route

from .common import desk_context, may_triage


def _triage_cases(user):
    return Case.objects.visible_to(user).triage().filter(state__in=OPEN_STATES, category__sensitive=False)


@staff_required
@require_safe
def queue(request: HttpRequest) -> HttpResponse:
    if not may_triage(request.user):
        raise PermissionDenied
    cases = _triage_cases(request.user).select_related("category", "district").order_by("created_at", "pk")
    cursor = parse_cursor(request.GET.get("despues", ""))
    if cursor:
        stamp, pk = cursor
        cases = cases.filter(Q(created_at__gt=stamp) | Q(created_at=stamp, pk__gt=pk))
    page = list(cases[: LIST_PAGE_SIZE + 1])
    more = len(page) > LIST_PAGE_SIZE
    page = page[:LIST_PAGE_SIZE]
    next_cursor = encode_cursor(page[-1].created_at, page[-1].pk) if more else ""
    return render(
        request, "backoffice/desk/triage.html", desk_context(request, "triage", cases=page, next_cursor=next_cursor)
    )


@staff_required
@require_http_methods(["GET", "POST"])
def route(request: HttpRequest, number: str) -> HttpResponse:
    case = _triage_cases(request.user).select_related("category", "entity", "district").filter(number=number).first()
    if case is None or not may_route_from_triage(request.user, case):
        raise Http404("No such case in triage")
    status = 200
    if request.method == "POST":
        form = TriageRouteForm(request.POST)
        if form.is_valid():
            try:
                routed = triage_route(
                    case,
                    category=form.chosen_category(),
                    entity=form.cleaned_data["entity"],
                    actor=Actor(user=request.user, channel=Channel.PHONE),
                )
            except ValidationError as error:
                form.add_case_errors(error)
            except InvalidTransition as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request,
                    _("Case %(number)s sent to %(entity)s.") % {"number": routed.number, "entity": routed.entity.name},
                )
                return redirect("backoffice:desk_triage")
        status = 400
    else:
        form = TriageRouteForm(initial={"category": case.category.code})
    return render(
        request, "backoffice/desk/triage_case.html", desk_context(request, "triage", case=case, form=form), status=status
    )
