"""What the case page shows besides the case itself: the staff timeline, the attribute answers, the
related cases nearby (duplicate candidates), who can hold the case, and the actions the reader may take."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cases import permissions
from cases.models import Case, CaseEvent, RejectionReason
from cases.routing import REASONS
from cases.services import REASSIGNABLE_STATES
from entities.models import Membership

NEARBY_METRES = 200
NEARBY_DAYS = 30
EARTH_RADIUS_M = 6_371_000


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def nearby(case: Case, visible: QuerySet, metres: int = NEARBY_METRES, days: int = NEARBY_DAYS) -> list[tuple[Case, int]]:
    """Cases of the same category within `metres` and `days` of this one: a bounding box in the query
    (cheap, on the category's index), then the exact great-circle distance in Python."""
    if case.lat is None or case.lon is None:
        return []
    dlat = metres / 111_320
    dlon = metres / (111_320 * max(math.cos(math.radians(case.lat)), 0.01))
    candidates = (
        visible.filter(
            category_id=case.category_id,
            created_at__gte=case.created_at - timedelta(days=days),
            created_at__lte=case.created_at + timedelta(days=days),
            lat__range=(case.lat - dlat, case.lat + dlat),
            lon__range=(case.lon - dlon, case.lon + dlon),
        )
        .exclude(pk=case.pk)
        .only("pk", "number", "state", "lat", "lon", "created_at", "description", "public_description")
        .order_by("-created_at")[:50]
    )
    found = [(other, round(haversine_m(case.lat, case.lon, other.lat, other.lon))) for other in candidates]
    return sorted([row for row in found if row[1] <= metres], key=lambda row: row[1])


@dataclass
class Entry:
    event: CaseEvent
    title: str
    detail: str
    public: bool


def timeline(case: Case) -> list[Entry]:
    """Every event, public and internal, with who did it (staff see names; the citizen's page does not)."""
    entries = []
    events = case.events.select_related("actor", "entity", "previous_entity").order_by("created_at", "pk")
    for event in events:
        title = str(CaseEvent.Kind(event.kind).label) if event.kind in CaseEvent.Kind.values else event.kind
        detail = event.message
        if event.kind in (CaseEvent.Kind.ROUTED, CaseEvent.Kind.CATEGORY_CHANGED) and event.reason in REASONS:
            detail = " ".join(filter(None, [event.message, str(REASONS[event.reason]), event.entity.name if event.entity else ""]))
        elif event.kind == CaseEvent.Kind.TRANSFERRED and event.entity:
            detail = _("To %(entity)s.") % {"entity": event.entity.name} + (" " + event.message if event.message else "")
        elif event.kind == CaseEvent.Kind.REJECTED and event.reason in RejectionReason.values:
            detail = " ".join(filter(None, [str(RejectionReason(event.reason).label) + ".", event.message]))
        entries.append(Entry(event, title, detail, event.public))
    return entries


def attribute_answers(case: Case) -> list[tuple[str, str]]:
    answers = []
    for attribute in case.category.attributes.all():
        value = case.attributes.get(attribute.code)
        if value in (None, "", []):
            continue
        if attribute.is_list:
            names = dict(attribute.localized_values())
            values = value if isinstance(value, list) else [value]
            value = ", ".join(names.get(str(v), str(v)) for v in values)
        answers.append((attribute.description, str(value)))
    return answers


def colleagues(case: Case):
    """Who can hold the case: staff and supervisors of the entity in charge (investigators for sensitive)."""
    users = get_user_model().objects.filter(is_active=True)
    if case.category.sensitive:
        from entities.models import Entity

        users = users.filter(memberships__role=Membership.Role.INVESTIGATOR, memberships__entity__in=Entity.objects.oversight())
    else:
        users = users.filter(
            memberships__entity_id=case.entity_id,
            memberships__role__in=[Membership.Role.STAFF, Membership.Role.SUPERVISOR],
        )
    return users.distinct().order_by("username")


def available_actions(user, case: Case) -> set[str]:
    """The actions the case page offers this reader now (each is checked again when posted)."""
    works = permissions.works_case(user, case)
    actions = set()
    if permissions.may_comment(user, case):
        actions |= {"note", "comment"}
    if not works:
        return actions
    if can_proceed(case.assign):
        if permissions.may_be_assigned(user, case):
            actions.add("take")
        if permissions.may_assign_others(user, case):
            actions.add("assign")
    if case.state in REASSIGNABLE_STATES:
        if permissions.may_assign_others(user, case):
            actions.add("reassign")
        if permissions.may_be_assigned(user, case) and case.assignee_id != user.pk:
            actions.add("take_over")
    for action in ("start", "request_info", "resolve", "transfer"):
        if can_proceed(getattr(case, action)):
            actions.add(action)
    if can_proceed(case.reject):
        actions |= {"reject", "duplicate"}
    if case.is_open:
        actions.add("change_category")
    if permissions.may_moderate(user, case) and not case.category.sensitive:
        actions.add("moderate")
    return actions

