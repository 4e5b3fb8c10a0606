"""The queue page, saved filters and bulk actions."""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_POST

from cases import permissions
from cases.models import Case
from cases.permissions import find_assignee
from cases.services import REASSIGNABLE_STATES, Actor, InvalidTransition, reassign, transfer, transition
from cases.sla import WorkCalendar

from .. import queue as q
from .. import queue_rows
from ..access import staff_required
from ..forms import BulkForm, QueueForm, SaveFilterForm
from ..models import SavedFilter

FILTER_KEYS = ["q", "state", "category", "district", "channel", "assigned", "level", "sort"]


def _filter_query(request: HttpRequest) -> str:
    return urlencode([(key, request.GET[key]) for key in FILTER_KEYS if request.GET.get(key)])


@require_GET
@staff_required
def queue(request: HttpRequest) -> HttpResponse:
    form = QueueForm(request.GET or None)
    # A filter with a value the form does not know (an old bookmark, a forged link) is left out; the rest apply.
    if form.is_bound:
        form.is_valid()
    data = getattr(form, "cleaned_data", {})
    now, calendar = timezone.now(), WorkCalendar()
    cases = q.filtered(request.user, data, now=now, calendar=calendar)
    result = q.page(q.with_state(cases, data.get("state", "")), data.get("sort") or "due", data.get("after"))
    rows = [(case, case.service_level(now=now, calendar=calendar)) for case in result.cases]
    query = _filter_query(request)
    return render(
        request,
        "backoffice/queue.html",
        {
            "form": form,
            "rows": rows,
            "table_rows": queue_rows.render(rows),
            "counts": q.state_counts(cases),
            "cap": q.COUNT_CAP,
            "next_url": f"?{query}&{urlencode({'after': result.next_cursor})}" if result.next_cursor else "",
            "first_url": f"?{query}" if data.get("after") else "",
            "query": query,
            "saved": SavedFilter.objects.filter(user=request.user),
            "save_form": SaveFilterForm(initial={"query": query}),
            "bulk_form": BulkForm(),
        },
    )


@require_POST
@staff_required
def save_filter(request: HttpRequest) -> HttpResponse:
    form = SaveFilterForm(request.POST)
    if form.is_valid():
        SavedFilter.objects.update_or_create(
            user=request.user, name=form.cleaned_data["name"], defaults={"query": form.cleaned_data["query"]}
        )
        messages.success(request, _("Filter “%(name)s” saved.") % {"name": form.cleaned_data["name"]})
    else:
        messages.error(request, _("Give the filter a name (up to 80 characters)."))
    return redirect(reverse("backoffice:queue") + ("?" + form.data.get("query", "") if form.data.get("query") else ""))


@require_POST
@staff_required
def delete_filter(request: HttpRequest, pk: int) -> HttpResponse:
    saved = get_object_or_404(SavedFilter, pk=pk, user=request.user)
    saved.delete()
    messages.success(request, _("Filter “%(name)s” deleted.") % {"name": saved.name})
    return redirect("backoffice:queue")


class BulkRefused(Exception):
    pass


@require_POST
@staff_required
def bulk(request: HttpRequest) -> HttpResponse:
    """Assign or transfer several cases at once: all of them, or none (one clear message)."""
    form = BulkForm(request.POST)
    back = reverse("backoffice:queue") + ("?" + request.POST["query"] if request.POST.get("query") else "")
    if not form.is_valid():
        messages.error(request, _("Choose at least one case and an action."))
        return redirect(back)
    numbers = set(form.cleaned_data["cases"])
    cases = list(Case.objects.visible_to(request.user).filter(number__in=numbers).select_related("category", "entity"))
    actor = Actor(request.user)
    try:
        if len(cases) != len(numbers):
            raise BulkRefused(_("Some of the chosen cases do not exist or are not yours. Nothing was changed."))
        with transaction.atomic():
            if form.cleaned_data["action"] == "assign":
                _bulk_assign(request.user, cases, form.cleaned_data["assignee"], actor)
            else:
                _bulk_transfer(request.user, cases, form.cleaned_data["entity"], form.cleaned_data["reason"], actor)
    except BulkRefused as refused:
        messages.error(request, str(refused))
    except (ValidationError, InvalidTransition) as error:
        text = " ".join(error.messages) if isinstance(error, ValidationError) else str(error)
        messages.error(request, _("Nothing was changed: %(error)s") % {"error": text})
    else:
        messages.success(request, ngettext("%(count)d case updated.", "%(count)d cases updated.", len(cases)) % {"count": len(cases)})
    return redirect(back)


def _bulk_assign(user, cases, username: str, actor: Actor) -> None:
    assignee = find_assignee(username.strip()) if username.strip() else user
    if assignee is None:
        raise BulkRefused(_("There is no active account named “%(name)s”. Nothing was changed.") % {"name": username})
    for case in cases:
        if not permissions.may_reassign(user, case, assignee):
            raise BulkRefused(_("You may not assign case %(number)s to this person. Nothing was changed.") % {"number": case.number})
        if not permissions.may_be_assigned(assignee, case):
            raise BulkRefused(_("%(name)s cannot hold case %(number)s. Nothing was changed.") % {"name": assignee.get_username(), "number": case.number})
        if case.state in REASSIGNABLE_STATES and case.assignee_id != assignee.pk:
            reassign(case, actor, assignee)
        elif case.assignee_id != assignee.pk:
            transition(case, "assign", actor, assignee=assignee)


def _bulk_transfer(user, cases, entity, reason: str, actor: Actor) -> None:
    if entity is None:
        raise BulkRefused(_("Choose the entity to transfer the cases to. Nothing was changed."))
    for case in cases:
        if not permissions.works_case(user, case):
            raise BulkRefused(_("You may not transfer case %(number)s. Nothing was changed.") % {"number": case.number})
        transfer(case, entity, actor, reason)
