"""Audit pages (`/oficina/auditoria/`): the change history of cases, categories, procedures,
memberships and answer templates, and the log of who viewed a reporter's contact. Administrators
read every entity's; supervisors their entity's."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.views.decorators.http import require_safe

from backoffice.access import staff_required
from backoffice.desk_audit import AUDITED, audit_page, contact_log as read_contact_log
from backoffice.desk_queries import audited_entities
from entities.querysets import Roles

from .common import desk_context


def _scope(request: HttpRequest):
    """(entity chosen or None for all, ids to filter by or None for every entity, entities offered)."""
    roles = Roles.of(request.user)
    if not (roles.is_admin or roles.supervisor_entities):
        raise PermissionDenied
    entities = audited_entities(request.user)
    code = request.GET.get("entidad") or ""
    entity = entities.filter(code=code).first() if code else None
    if code and entity is None:
        raise PermissionDenied
    if entity is not None:
        return entity, [entity.pk], entities
    if roles.is_admin:
        return None, None, entities
    return None, list(roles.supervisor_entities), entities


@staff_required
@require_safe
def history(request: HttpRequest) -> HttpResponse:
    entity, entity_ids, entities = _scope(request)
    kind = request.GET.get("tipo") if request.GET.get("tipo") in AUDITED else "cases"
    search = " ".join(request.GET.get("buscar", "").split())[:120]
    rows, cursor = audit_page(kind, entity_ids, search=search, before=request.GET.get("antes", ""))
    params = {k: v for k, v in {"entidad": entity.code if entity else "", "tipo": kind, "buscar": search}.items() if v}
    context = desk_context(
        request,
        "audit",
        page="history",
        entity=entity,
        entities=entities,
        kind=kind,
        kinds=[(key, label) for key, (label, _model, _column) in AUDITED.items()],
        search=search,
        rows=rows,
        next_url="?" + urlencode({**params, "antes": cursor}) if cursor else "",
    )
    return render(request, "backoffice/desk/history.html", context)


@staff_required
@require_safe
def contact_log(request: HttpRequest) -> HttpResponse:
    entity, entity_ids, entities = _scope(request)
    rows, cursor = read_contact_log(entity_ids, before=request.GET.get("antes", ""))
    params = {"entidad": entity.code} if entity else {}
    context = desk_context(
        request,
        "audit",
        page="contacts",
        entity=entity,
        entities=entities,
        rows=rows,
        next_url="?" + urlencode({**params, "antes": cursor}) if cursor else "",
    )
    return render(request, "backoffice/desk/contact_log.html", context)
