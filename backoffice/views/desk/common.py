"""What every desk page shares: the section links a user's roles open, and choosing among the entities
a user may act for."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _

from entities.models import Entity
from entities.querysets import Roles


def desk_sections(user) -> list[dict]:
    roles = Roles.of(user)
    sections = []
    if roles.is_agent:
        sections.append(("agent", _("Agent console"), "backoffice:desk_console"))
    if roles.is_agent or roles.is_admin or _in_contact_center(roles):
        sections.append(("triage", _("Triage"), "backoffice:desk_triage"))
    if roles.supervisor_entities:
        sections.append(("supervision", _("Supervision"), "backoffice:desk_supervision"))
    if roles.is_investigator:
        sections.append(("oversight", _("Oversight"), "backoffice:desk_oversight"))
    if roles.is_admin or roles.supervisor_entities:
        sections.append(("audit", _("Audit"), "backoffice:desk_history"))
    return [{"key": key, "label": label, "url": reverse(name)} for key, label, name in sections]


def _in_contact_center(roles: Roles) -> bool:
    return Entity.objects.filter(pk__in=roles.staff_entities, is_contact_center=True).exists()


def may_triage(user) -> bool:
    roles = Roles.of(user)
    return roles.is_agent or roles.is_admin or _in_contact_center(roles)


def desk_context(request: HttpRequest, section: str, **extra) -> dict:
    return {"desk_sections": desk_sections(request.user), "desk_section": section, **extra}


def chosen_entity(request: HttpRequest, allowed: QuerySet[Entity]) -> Entity:
    """The entity named by `?entidad=CODE` among those allowed (404 otherwise), or the first allowed.
    No entity at all: the user has no business on the page (403)."""
    code = request.GET.get("entidad") or request.POST.get("entidad") or ""
    if code:
        entity = allowed.filter(code=code).first()
        if entity is None:
            raise Http404("No such entity")
        return entity
    entity = allowed.first()
    if entity is None:
        raise PermissionDenied
    return entity
