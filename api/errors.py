"""How the API reports failures: always JSON in DRF's shape, always a 4xx for the caller's mistakes."""

from __future__ import annotations

from typing import Iterable

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import HttpRequest, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from rest_framework import serializers, status
from rest_framework.exceptions import APIException, ErrorDetail, NotFound

from cases.services import InvalidTransition


class Conflict(APIException):
    """The request is well formed but the case's current state does not allow it (HTTP 409)."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = _("The case's current state does not allow this.")
    default_code = "conflict"


def invalid_transition(exc: InvalidTransition) -> Conflict:
    return Conflict(
        {"detail": str(exc), "code": "invalid_transition", "action": exc.action, "state": exc.case.state}
    )


def closed_by_citizen(case) -> Conflict:
    """Staff never close a case (cases.permissions.CITIZEN_ONLY_ACTIONS): say who does, whatever the state."""
    from django.conf import settings

    message = _(
        "Staff do not close cases. The citizen confirms that the problem is solved (on the tracking page or "
        "in the survey), or the case closes by itself %(days)d days after its resolution, when the reopen "
        "window ends. Resolve the case instead."
    ) % {"days": settings.CASE_REOPEN_WINDOW_DAYS}
    return Conflict({"detail": str(message), "code": "closed_by_citizen", "action": "close", "state": case.state})


def _path_for(key: str, renames: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
    if key in renames:
        return renames[key]
    # The shared validation names list attributes `attribute[code]`; the API nests them like any object.
    if key.startswith("attribute[") and key.endswith("]"):
        return ("attributes", key[len("attribute[") : -1])
    return (key,)


def _details(errors: Iterable[DjangoValidationError]) -> list[ErrorDetail]:
    details = []
    for error in errors:
        for item in error.error_list if hasattr(error, "error_list") else [error]:
            message = item.message % item.params if item.params else item.message
            details.append(ErrorDetail(str(message), code=item.code or "invalid"))
    return details


def from_django(
    exc: DjangoValidationError, renames: dict[str, tuple[str, ...]] | None = None
) -> serializers.ValidationError:
    """Turn a service's ValidationError (field -> errors with codes) into DRF's 400 with the API's field names."""
    renames = renames or {}
    if not hasattr(exc, "error_dict"):
        return serializers.ValidationError({"non_field_errors": _details([exc])})
    body: dict = {}
    for key, errors in exc.error_dict.items():
        *parents, leaf = _path_for(key, renames)
        node = body
        for parent in parents:
            node = node.setdefault(parent, {})
        node.setdefault(leaf, []).extend(_details(errors))
    return serializers.ValidationError(body)


@csrf_exempt
def not_found(request: HttpRequest, *args, **kwargs) -> JsonResponse:
    """Any address under /api/v1/ that matches no endpoint: a JSON 404, like the endpoints' own."""
    return JsonResponse({"detail": str(NotFound.default_detail)}, status=404)
