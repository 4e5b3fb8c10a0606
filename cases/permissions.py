"""Who may *act* on a case — one copy for the REST API, the back office and the operations board. Who may *see* it is decided only by `Case.objects.visible_to()`; every rule
here applies to a case the user can already see, so it can only narrow access, never widen it.

- working a case (transitions): staff and supervisors of the entity in charge; oversight investigators for
  sensitive cases; 311 agents for cases waiting in the triage queue; administrators for non-sensitive ones;
- commenting: whoever works the case, and 311 agents on any case they see (a caller phones back);
- personal data of the reporter: staff of the entity in charge, 311 agents, investigators for sensitive
  cases. Not administrators, operators or the reporter's own API view: none of them needs it to do their work;
- assigning someone else: supervisors of the entity in charge, investigators (sensitive) and administrators;
  anyone who works the case may take it themselves;
- an alert's operations details (severity, people affected, exercise flag) when filing an urgent case, and
  reading them on a case one sees: back-office roles (agency staff, 311 agents, operators, dispatchers,
  administrators) — never citizens, whose reports get the category's default severity;
- closing a resolved case: nobody who works it. It belongs to the citizen (confirming on the tracking page
  or in the survey) or to the auto-close job once the reopen window has passed, so that staff cannot resolve
  and close in the same minute and cut the citizen's chance to say it is not solved.
"""

from __future__ import annotations

from django.contrib.auth import get_user_model

from .models import Case
from entities.querysets import Roles


def is_back_office(user) -> bool:
    return Roles.of(user).is_staff_member


def in_triage(case: Case) -> bool:
    return case.entity_id is None or case.entity.is_contact_center


def works_case(user, case: Case) -> bool:
    roles = Roles.of(user)
    if case.category.sensitive:
        return roles.is_investigator
    if roles.is_admin or case.entity_id in roles.staff_entities:
        return True
    return roles.is_agent and in_triage(case)


# Lifecycle actions that nobody applies from the back office or the REST API (see the module docstring).
CITIZEN_ONLY_ACTIONS = frozenset({"close"})


def may_apply(user, case: Case, action: str) -> bool:
    """May this user apply this lifecycle action (if the state allows it) from the back office or the API?"""
    return action not in CITIZEN_ONLY_ACTIONS and works_case(user, case)


def may_comment(user, case: Case) -> bool:
    return works_case(user, case) or (Roles.of(user).is_agent and not case.category.sensitive)


def sees_contact(user, case: Case) -> bool:
    roles = Roles.of(user)
    if case.category.sensitive:
        return roles.is_investigator
    return case.entity_id in roles.staff_entities or roles.is_agent


def may_raise_alert(user) -> bool:
    """Filing an urgent case with its alert's details (severity, people affected, exercise flag, source):
    agency staff of any back-office role, in the back office's form (`/operaciones/nueva/`) and the REST
    API. Citizens (portal, `/alerta/`, Open311) report without them."""
    return is_back_office(user)


def sees_alert(user, case: Case) -> bool:
    """The alert's operations details on a case the user already sees: the back office's business, not the
    reporter's (a citizen reading their own case through the API gets null)."""
    return is_back_office(user)


def may_be_assigned(user, case: Case) -> bool:
    """A person who can hold the case: staff of the entity in charge, or an investigator for sensitive cases."""
    if user is None or not user.is_active:
        return False
    roles = Roles.of(user)
    if case.category.sensitive:
        return roles.is_investigator
    return case.entity_id in roles.staff_entities


def may_assign_others(user, case: Case) -> bool:
    roles = Roles.of(user)
    if case.category.sensitive:
        return roles.is_investigator
    return roles.is_admin or case.entity_id in roles.supervisor_entities


def find_assignee(username: str):
    return get_user_model().objects.filter(username=username, is_active=True).first()


def may_reassign(user, case: Case, assignee) -> bool:
    """Taking a case yourself needs you to work it; handing it to someone else is a supervisor's call."""
    if assignee is not None and assignee.pk == getattr(user, "pk", None):
        return works_case(user, case) and may_be_assigned(user, case)
    return may_assign_others(user, case)


def may_moderate(user, case: Case) -> bool:
    """Redacting what the public reads of a case: whoever works it."""
    return works_case(user, case)


def may_change_category(user, case: Case) -> bool:
    return works_case(user, case)
def may_route_from_triage(user, case: Case) -> bool:
    """Recategorise and route a case waiting in the 311 triage queue: 311 agents, staff of the contact
    center and administrators. A sensitive case never waits there for them (it is the oversight body's)."""
    if case.category.sensitive or not in_triage(case):
        return False
    roles = Roles.of(user)
    return roles.is_agent or roles.is_admin or case.entity_id in roles.staff_entities
