"""The API's requests turned into calls to cases.services, which alone change cases and write their events.

Lookups that a request names by code (an assignee, a target entity, a duplicated case) are resolved here,
so a wrong code is a field error (400) and never reaches the lifecycle.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from rest_framework.authtoken.models import Token
from rest_framework.exceptions import PermissionDenied

from cases import services
from cases.models import Case, CaseEvent, Category
from catalog.models import Procedure
from entities.models import Entity
from operations import services as operations_services

from . import permissions
from .inputs import CaseCreateRequest


def _field_error(field: str, message: str, code: str) -> ValidationError:
    return ValidationError({field: [ValidationError(message, code=code)]})


def file_case(request_data: CaseCreateRequest, user) -> Case:
    """A case filed by staff or an integration on someone's behalf: they are its actor, not its reporter."""
    slug = request_data.validated_data.get("procedure")
    procedure = None
    if slug:
        procedure = Procedure.objects.published().filter(slug=slug).select_related("entity").first()
        if procedure is None:
            raise _field_error("procedure", _("Unknown procedure."), "unknown_procedure")
    data = request_data.new_case()
    actor = services.Actor(user=user, channel=data.channel)
    details = request_data.alert_details()
    if details is not None:
        return _file_alert(data, details, actor, procedure)
    return services.create_case(
        data,
        actor=actor,
        # Internal tools offer every active category, sensitive ones included: an agent files a corruption
        # complaint for a caller even though only the oversight body will then see it.
        categories=Category.objects.active(),
        procedure=procedure,
    )


def _file_alert(data, details, actor: services.Actor, procedure) -> Case:
    """An urgent case with its alert's details, through the operations intake (the same service as the
    back office's form, CAP and the sensors). Only urgent categories take them."""
    if not permissions.may_raise_alert(actor.user):
        raise PermissionDenied(_("Only agency staff set an alert's severity and details."))
    category = Category.objects.active().filter(code=(data.category_code or "").strip()).first()
    if category is not None and not operations_services.alert_categories().filter(pk=category.pk).exists():
        raise _field_error(
            "alert", _("This category is not an urgent one: its cases are not alerts, so leave out alert."), "not_urgent"
        )
    return operations_services.file_alert(data, details, actor=actor, procedure=procedure).case


def comment(case: Case, user, data: dict) -> CaseEvent:
    """A comment from someone allowed to comment (the view checked `permissions.may_comment`)."""
    actor = services.Actor(user=user, channel=data["channel"])
    return services.add_comment(case, actor, data["message"], public=data["public"])


def apply_transition(case: Case, user, data: dict) -> Case:
    """Apply one validated transition request from someone who works the case (the view checked
    `permissions.works_case`). Raises InvalidTransition, ValidationError or PermissionDenied."""
    action = data["action"]
    actor = services.Actor(user=user, channel=data["channel"])
    message = data.get("message", "")
    if action == "assign":
        return _assign(case, user, actor, data.get("assignee"), message)
    if action == "request_info":
        return services.request_info(case, actor, message)
    if action == "resolve":
        return services.resolve(case, actor, message)
    if action == "reject":
        duplicate_of = None
        if data.get("duplicate_of"):
            duplicate_of = Case.objects.visible_to(user).filter(number=data["duplicate_of"]).first()
            if duplicate_of is None:
                raise _field_error("duplicate_of", _("Unknown case."), "unknown_case")
        return services.reject(case, data["reason"], actor, message=message, duplicate_of=duplicate_of)
    if action == "transfer":
        entity = Entity.objects.active().filter(code=data["entity"]).first()
        if entity is None:
            raise _field_error("entity", _("Unknown entity."), "unknown_entity")
        return services.transfer(case, entity, actor, reason=message)
    return services.transition(case, action, actor, message=message)


def _assign(case: Case, user, actor: services.Actor, username: str | None, message: str) -> Case:
    assignee = permissions.find_assignee(username) if username else user
    if assignee is None:
        raise _field_error("assignee", _("No active user has this username."), "unknown_user")
    if assignee != user and not permissions.may_assign_others(user, case):
        raise PermissionDenied(_("Only a supervisor can assign a case to someone else."))
    if not permissions.may_be_assigned(assignee, case):
        raise _field_error("assignee", _("This person does not work for the entity in charge."), "not_eligible")
    return services.transition(case, "assign", actor, message=message, assignee=assignee)


def issue_token(user, *, rotate: bool = False) -> Token:
    """The user's API token (created on first use). `rotate` replaces it: the old key stops working at once."""
    with transaction.atomic():
        if rotate:
            Token.objects.filter(user=user).delete()
        token, _created = Token.objects.get_or_create(user=user)
    return token


def revoke_token(user) -> bool:
    deleted, _per_model = Token.objects.filter(user=user).delete()
    return bool(deleted)
