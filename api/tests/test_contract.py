"""Property-based run of the published OpenAPI schema against the real application (schemathesis).

Schemathesis reads /api/v1/schema/, generates valid and invalid requests for every operation and sends them
through the Django WSGI application. Each response must be:
- never a 5xx;
- documented (status code, content type, body shape for the documented answers);
- for invalid input, a 4xx JSON error, and the database must be exactly as before the call.

Bounded (about 900 requests, fixed seed, no example database) so that it stays under a minute in CI.
"""

from __future__ import annotations

import zlib

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from schemathesis.checks import load_all_checks, not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.core.parameters import ParameterLocation
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from api.services import issue_token
from cases.models import Case, CaseEvent
from catalog.models import Procedure, Theme
from operations.models import Alert, OpsEvent
from ventanilla.testing import SAN_MIGUELITO, new_case

load_all_checks()

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]
# Per phase and operation: coverage cases are deterministic boundary values; fuzzing adds this many more.
MAX_EXAMPLES = 10


@pytest.fixture
def wsgi_application():
    # Like Django's test client: the test's transaction must survive the end of each request, which
    # otherwise closes the database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield WSGIHandler()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def real_values(world):
    """Numbers, codes and slugs that exist, so that valid requests reach past the 404."""
    numbers = [
        new_case(world, world.rubbish, SAN_MIGUELITO, contact_name="Ana Díaz", contact_phone="6123-4567").number,
        new_case(world, world.rubbish, SAN_MIGUELITO).number,
        new_case(world, world.water).number,  # another entity's case: 404 for the token's user
    ]
    theme = Theme.objects.create(code="empresa", name_es="Abrir un negocio", name_en="Starting a business")
    procedure = Procedure.objects.create(
        slug="permiso-de-operacion",
        entity=world.san_miguelito,
        name="Permiso de operación",
        summary="Autorización municipal para abrir un local.",
        last_reviewed="2026-01-15",
    )
    procedure.themes.add(theme)
    return {
        # Path parameters.
        "number": numbers,
        "code": ["BASURA-NO-RECOGIDA", "FALTA-AGUA", "MUNSM", "IDAAN"],
        "slug": ["permiso-de-operacion"],
        # Body fields that name other objects.
        "category": ["FALTA-AGUA", "INUNDACION"],
        "assignee": ["sofia", "alice", "bob"],
        "entity": ["MUNDAVID", "IDAAN", "MUNSM"],
        "duplicate_of": numbers,
        "procedure": ["permiso-de-operacion"],
        "district": ["pa-8-san-miguelito", "nowhere"],
    }


@pytest.fixture
def api_schema(world, real_values, wsgi_application):
    # A supervisor of the entity in charge: allowed to file, comment and apply every transition.
    token = issue_token(world.supervisor).key
    config = SchemathesisConfig.from_dict(
        {
            # Identity: schemathesis reads the body as sent, and the site compresses what it may.
            "headers": {"Authorization": f"Token {token}", "Accept-Encoding": "identity"},
            "generation": {"max-examples": MAX_EXAMPLES, "mode": "all", "deterministic": True, "database": "none"},
            # Coverage: boundary and type-violating values for every parameter (most of the requests); two
            # methods the API does not offer stand for all of them.
            "phases": {"stateful": {"enabled": False}, "coverage": {"unexpected-methods": ["DELETE", "PUT"]}},
            # The same requests on every run and every machine: a failure here is reproducible.
            "seed": 20260101,
            # A busy CI machine generates slowly; that says nothing about the API.
            "suppress-health-check": ["too_slow"],
        }
    )
    return schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", wsgi_application, config=config)


schema = schemathesis.pytest.from_fixture("api_schema")


def database_state() -> tuple:
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        tuple(Case.objects.order_by("pk").values_list("pk", "state", "entity_id", "assignee_id", "updated_at")),
        # Urgent cases filed with `alert`: a refused one leaves no alert and tells no board.
        tuple(Alert.objects.order_by("pk").values_list("pk", "severity", "people_affected", "exercise", "version")),
        OpsEvent.objects.count(),
    )


def pick(choices: list[str], seed: object) -> str:
    return choices[zlib.crc32(repr(seed).encode()) % len(choices)]


def is_valid_part(case, location: ParameterLocation) -> bool:
    """Whether this part of the request was generated valid (only those parts may be swapped: swapping
    the invalid part of a negative case would make it valid without schemathesis knowing)."""
    component = case.meta.components.get(location) if case.meta else None
    return component is None or component.mode.is_positive


def use_real_values(case, real_values: dict) -> None:
    """Swap generated names of objects (in the path, and text fields of the body) for existing ones,
    choosing deterministically, so that valid requests get past the 404 and reach the real work."""
    if case.path_parameters and is_valid_part(case, ParameterLocation.PATH):
        for name, value in list(case.path_parameters.items()):
            if name in real_values:
                case.path_parameters[name] = pick(real_values[name], value)
    if isinstance(case.body, dict) and is_valid_part(case, ParameterLocation.BODY):
        for name, value in list(case.body.items()):
            if name in real_values and isinstance(value, str):
                case.body[name] = pick(real_values[name], value)


@schema.parametrize()
def test_every_operation_keeps_its_contract(case, real_values):
    if zlib.crc32(repr((case.path_parameters, case.body)).encode()) % 4:
        # Three times in four, aim at objects that exist; otherwise keep the generated (unknown) names.
        use_real_values(case, real_values)
    before = database_state()
    response = case.call()
    case.validate_response(response, checks=CHECKS)
    assert response.status_code < 500
    if response.status_code >= 400:
        assert response.headers["content-type"][0].startswith("application/json"), response.text
        assert isinstance(response.json(), dict)
        assert database_state() == before, f"{case.method} {case.formatted_path} was refused but changed data"
