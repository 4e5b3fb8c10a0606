"""The case page's actions: one POST each, each a function of cases.services (which records the event),
each under the optimistic check (backoffice/concurrency.py). Refusals come back as form errors on the
case page with nothing changed; a case the user may not see is a 404."""

from __future__ import annotations

from typing import Callable

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from cases import permissions, services
from cases.models import Case, RejectionReason
from cases.services import Actor, InvalidTransition

from .. import case_page
from ..access import staff_required
from ..concurrency import CaseChanged, unchanged_since
from .case import FORM_CLASSES, case_for, render_case

DONE = {
    "take": gettext_lazy("You took the case."),
    "assign": gettext_lazy("The case was assigned."),
    "reassign": gettext_lazy("The case was reassigned."),
    "take_over": gettext_lazy("You took over the case."),
    "start": gettext_lazy("Work on the case started."),
    "request_info": gettext_lazy("The question was sent to the citizen. The case waits for the answer."),
    "resolve": gettext_lazy("The case was resolved and the answer sent to the citizen."),
    "transfer": gettext_lazy("The case was transferred."),
    "reject": gettext_lazy("The case was rejected."),
    "duplicate": gettext_lazy("The case was marked as a duplicate. Its reporter will hear about the original."),
    "change_category": gettext_lazy("The category was changed and the case routed again."),
    "moderate": gettext_lazy("The public view of the case was moderated."),
    "note": gettext_lazy("Internal note added."),
    "comment": gettext_lazy("Public comment added."),
}


def _take(request, case, form, actor):
    if not permissions.may_be_assigned(request.user, case):
        raise PermissionDenied
    services.transition(case, "assign", actor, assignee=request.user)


def _assign(request, case, form, actor):
    assignee = form.cleaned_data["assignee"]
    if not permissions.may_assign_others(request.user, case):
        raise PermissionDenied
    if not permissions.may_be_assigned(assignee, case):
        raise ValidationError({"assignee": _("This person cannot hold the case: choose a member of the entity in charge.")})
    services.transition(case, "assign", actor, assignee=assignee)


def _reassign(request, case, form, actor):
    assignee = form.cleaned_data["assignee"]
    if not permissions.may_reassign(request.user, case, assignee):
        raise PermissionDenied
    services.reassign(case, actor, assignee)


def _take_over(request, case, form, actor):
    if not permissions.may_reassign(request.user, case, request.user):
        raise PermissionDenied
    services.reassign(case, actor, request.user)


def _start(request, case, form, actor):
    services.transition(case, "start", actor)


def _request_info(request, case, form, actor):
    services.request_info(case, actor, form.cleaned_data["message"])


def _resolve(request, case, form, actor):
    services.resolve(case, actor, form.cleaned_data["message"])


def _transfer(request, case, form, actor):
    services.transfer(case, form.cleaned_data["entity"], actor, form.cleaned_data["reason"])


def _reject(request, case, form, actor):
    services.reject(case, form.cleaned_data["reason"], actor, message=form.cleaned_data["message"].strip())


def _duplicate(request, case, form, actor):
    number = form.cleaned_data["original"].strip()
    original = Case.objects.visible_to(request.user).filter(number=number).first()
    if original is None or original.pk == case.pk:
        raise ValidationError({"original": _("There is no other case with this number that you can see.")})
    if original.duplicate_of_id == case.pk:
        raise ValidationError({"original": _("That case is itself a duplicate of this one.")})
    services.reject(case, RejectionReason.DUPLICATE, actor, message=form.cleaned_data["message"].strip(), duplicate_of=original)


def _change_category(request, case, form, actor):
    if not permissions.may_change_category(request.user, case):
        raise PermissionDenied
    services.change_category(case, actor, form.cleaned_data["category"])


def _moderate(request, case, form, actor):
    if not permissions.may_moderate(request.user, case):
        raise PermissionDenied
    services.moderate(case, actor, form.cleaned_data["public_description"], form.cleaned_data["hide_photos"])


def _note(request, case, form, actor):
    services.add_comment(case, actor, form.cleaned_data["message"], public=False)


def _comment(request, case, form, actor):
    services.add_comment(case, actor, form.cleaned_data["message"], public=True)


HANDLERS: dict[str, Callable] = {
    "take": _take,
    "assign": _assign,
    "reassign": _reassign,
    "take_over": _take_over,
    "start": _start,
    "request_info": _request_info,
    "resolve": _resolve,
    "transfer": _transfer,
    "reject": _reject,
    "duplicate": _duplicate,
    "change_category": _change_category,
    "moderate": _moderate,
    "note": _note,
    "comment": _comment,
}
# Actions anyone who may comment can take; the rest need the reader to work the case.
COMMENT_ACTIONS = {"note", "comment"}


def _form_kwargs(action: str, case: Case) -> dict:
    if action in ("assign", "reassign"):
        return {"colleagues": case_page.colleagues(case)}
    if action in ("transfer", "change_category"):
        return {"case": case}
    if action == "moderate":
        return {"attachments": case.attachments.all()}
    return {}


def _apply_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
@staff_required
def case_action(request: HttpRequest, number: str, action: str) -> HttpResponse:
    if action not in HANDLERS:
        raise Http404
    case = case_for(request, number)
    allowed = permissions.may_comment(request.user, case) if action in COMMENT_ACTIONS else permissions.works_case(request.user, case)
    if not allowed:
        raise PermissionDenied
    form = FORM_CLASSES[action](request.POST, prefix=action, **_form_kwargs(action, case))
    if form.is_valid():
        try:
            with unchanged_since(case, form.cleaned_data["version"]):
                HANDLERS[action](request, case, form, Actor(request.user))
        except CaseChanged as changed:
            case.refresh_from_db()
            return render_case(request, case, changed=changed.events, status=409)
        except InvalidTransition as refused:
            form.add_error(None, str(refused))
            # The action's form may not be on the page in this state: say it in the banner too.
            messages.error(request, str(refused))
        except ValidationError as error:
            _apply_errors(form, error)
        else:
            messages.success(request, DONE[action])
            if not Case.objects.visible_to(request.user).filter(pk=case.pk).exists():
                return redirect("backoffice:queue")  # transferred away: no longer this reader's case
            return redirect("backoffice:case", number=case.number)
    case.refresh_from_db()
    return render_case(request, case, bound={action: form}, status=400)
