"""The OpenAPI schema is generated from the code, valid, free of generator warnings, and browsable."""

from __future__ import annotations

import re

from django.contrib.staticfiles import finders
from django.test import Client
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.validation import validate_schema


def fetch_schema(**headers) -> dict:
    response = Client().get("/api/v1/schema/", {"format": "json"}, **headers)
    assert response.status_code == 200
    return response.json()


def test_the_schema_is_valid_openapi_3_without_generator_warnings(db):
    GENERATOR_STATS.reset()
    schema = fetch_schema()
    validate_schema(schema)
    assert not GENERATOR_STATS, "drf-spectacular warned while generating the schema (see the captured output)"


def test_the_schema_describes_every_endpoint_and_only_this_api(db):
    paths = set(fetch_schema()["paths"])
    assert paths == {
        "/api/v1/cases/",
        "/api/v1/cases/{number}/",
        "/api/v1/cases/{number}/timeline/",
        "/api/v1/cases/{number}/transitions/",
        "/api/v1/cases/{number}/comments/",
        "/api/v1/categories/",
        "/api/v1/categories/{code}/",
        "/api/v1/entities/",
        "/api/v1/entities/{code}/",
        "/api/v1/procedures/",
        "/api/v1/procedures/{slug}/",
        "/api/v1/procedures/search/",
    }


def test_the_transition_request_is_one_schema_per_action(db):
    schema = fetch_schema()
    mapping = schema["components"]["schemas"]["TransitionRequest"]["discriminator"]["mapping"]
    assert set(mapping) == {"assign", "start", "request_info", "resolve", "close", "reject", "reopen", "transfer"}
    assert schema["components"]["schemas"]["ResolveRequest"]["required"] == ["action", "message"]


def test_the_schema_speaks_the_requested_language(db):
    english = fetch_schema(HTTP_ACCEPT_LANGUAGE="en")
    spanish = fetch_schema()
    assert english["paths"]["/api/v1/cases/"]["get"]["summary"] == "List the cases you may see"
    assert spanish["paths"]["/api/v1/cases/"]["get"]["summary"] == "Lista de los casos que puede ver"


def test_the_docs_page_loads_swagger_ui_from_our_own_static_files(db):
    response = Client().get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assets = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert assets, html
    # Swagger UI's start-up script comes from this page's own URL (the CSP forbids inline scripts).
    assert "/api/v1/docs/?script=" in assets
    assert "<script>" not in html
    script = Client().get("/api/v1/docs/?script=")
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert b"/api/v1/schema/" in script.content
    for asset in (asset for asset in assets if asset != "/api/v1/docs/?script="):
        assert asset.startswith("/static/drf_spectacular_sidecar/"), asset
        assert finders.find(asset.removeprefix("/static/")), f"{asset} is not a collected static file"
