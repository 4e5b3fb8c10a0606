"""The REST API's DRF permission classes. The rules of who may act on a case live in `cases.permissions`
(shared with the back office); they are re-exported here for the API's modules."""

from __future__ import annotations

from rest_framework.permissions import BasePermission

from cases.permissions import (  # noqa: F401
    CITIZEN_ONLY_ACTIONS,
    find_assignee,
    in_triage,
    is_back_office,
    may_assign_others,
    may_apply,
    may_be_assigned,
    may_comment,
    may_raise_alert,
    sees_alert,
    sees_contact,
    works_case,
)


class FilesCases(BasePermission):
    """Filing a case for someone else (an agent for a caller, an integration for its users) is back-office work."""

    def has_permission(self, request, view) -> bool:
        return is_back_office(request.user)
