"""OpenAPI generation hooks (drf-spectacular)."""

from __future__ import annotations

PREFIX = "/api/v1/"


def only_api_v1(endpoints: list) -> list:
    """This schema describes the REST API v1 only; other DRF views in the project (if any) have their own docs."""
    return [endpoint for endpoint in endpoints if endpoint[0].startswith(PREFIX)]


# Passed to the schema view rather than set globally, so that the schema of this API does not depend on
# what other apps put in SPECTACULAR_SETTINGS.
SCHEMA_SETTINGS = {
    "PREPROCESSING_HOOKS": ["api.schema.only_api_v1"],
    # One name per choice set, wherever it appears (a case's state, an event's from/to state...).
    "ENUM_NAME_OVERRIDES": {
        "CaseStateEnum": "cases.models.State",
        "ChannelEnum": "cases.models.Channel",
        "RejectionReasonEnum": "cases.models.RejectionReason",
        "AlertStateEnum": "operations.models.AlertState",
        "AlertSourceEnum": "operations.models.AlertSource",
        "AlertRequestSourceEnum": "api.inputs.ALERT_SOURCE_CHOICES",
        "CapUrgencyEnum": "operations.models.CapUrgency",
    },
}


def document_request_refusals(result, generator, request, public):
    """Every operation may answer 400 before its view runs: ventanilla/refusals.py refuses a NUL character
    in the path or query, a malformed body or a bad encoding, in JSON with a `code`. Documented once here
    so that clients (and the contract test) know it."""
    for operations in result.get("paths", {}).values():
        for operation in operations.values():
            if isinstance(operation, dict) and "responses" in operation:
                operation["responses"].setdefault(
                    "400", {"description": "The request could not be read (malformed body or query): a JSON error with `code`."}
                )
    return result
