"""Production-grade headers on a sample of every kind of page and API response, and a deployment check
that reports nothing with production settings."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.test import Client

from ventanilla.settings import tile_source
from ventanilla.testing import new_case

PAGES = {
    "home": "/",
    "home in English": "/en/",
    "catalog": "/tramites/",
    "report categories": "/reportar/",
    "report form": "/reportar/BASURA-NO-RECOGIDA/",
    "report form in English": "/en/reportar/BASURA-NO-RECOGIDA/",
    "complaint form": "/denuncia/",
    "tracking look-up": "/seguimiento/",
    "not found page": "/no-existe/",
    "admin sign-in": "/admin/login/",
    "REST API list": "/api/v1/categories/",
    "REST API without credentials": "/api/v1/cases/",
    "REST API unknown address": "/api/v1/nothing/",
    "REST API docs": "/api/v1/docs/",
    "Open311 XML": "/open311/v2/services.xml",
    "Open311 JSON": "/open311/v2/requests.json",
    "Open311 error": "/open311/v2/requests.json?page=x",
    "health check": "/healthz",
}
MAY_USE_LOCATION_AND_CAMERA = {"report form", "report form in English"}


def directives(policy: str) -> dict[str, list[str]]:
    return {part.split()[0]: part.split()[1:] for part in (p.strip() for p in policy.split(";")) if part}


@pytest.fixture
def responses(world):
    case = new_case(world)
    pages = {**PAGES, "tracking page": f"/seguimiento/{case.tracking_token}/"}
    client = Client()
    return {name: client.get(path) for name, path in pages.items()}


def test_every_kind_of_response_carries_the_security_headers(responses):
    for name, response in responses.items():
        assert response.status_code < 500, name
        policy = directives(response["Content-Security-Policy"])
        assert policy["script-src"] == ["'self'"], name
        assert "'unsafe-inline'" not in policy["default-src"] + policy["script-src"], name
        assert policy["object-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"], name
        assert response["X-Content-Type-Options"] == "nosniff", name
        assert response["X-Frame-Options"] == "DENY", name
        assert response["Referrer-Policy"] in ("same-origin", "no-referrer"), name
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", name
        assert not response.has_header("Server"), name
        features = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
        expected = "(self)" if name in MAY_USE_LOCATION_AND_CAMERA else "()"
        assert features["geolocation"] == expected and features["camera"] == expected, name
        assert features["microphone"] == "()", name


def test_the_map_tile_host_is_the_only_other_image_source(responses):
    policy = directives(responses["report form"]["Content-Security-Policy"])
    assert policy["img-src"] == ["'self'", "data:", "https://tile.openstreetmap.org"]
    assert tile_source("https://{s}.tiles.example.gob/{z}/{x}/{y}.png") == "https://*.tiles.example.gob"


def test_no_page_has_an_inline_script(responses):
    inline = re.compile(r"<script(?![^>]*\ssrc=)(?![^>]*type=\"application/ld\+json\")[^>]*>", re.IGNORECASE)
    for name, response in responses.items():
        if response["Content-Type"].startswith("text/html"):
            assert not inline.search(response.content.decode()), name


def test_a_page_listed_in_the_setting_may_use_location_and_camera(world, settings):
    settings.PERMISSIONS_POLICY_PAGES = ["home", "/tramites/"]
    client = Client()
    for path in ("/", "/en/tramites/"):
        assert "geolocation=(self)" in client.get(path)["Permissions-Policy"], path
    assert "geolocation=()" in client.get("/reportar/BASURA-NO-RECOGIDA/")["Permissions-Policy"]


def test_over_tls_the_site_sends_hsts_and_redirects_plain_http(world, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    client = Client()

    plain = client.get("/tramites/")
    secure = client.get("/tramites/", secure=True)
    health = client.get("/healthz")

    assert plain.status_code == 301 and plain["Location"] == "https://testserver/tramites/"
    assert secure["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert health.status_code == 200  # the load balancer's check may speak plain HTTP


def production_env(tmp_path: Path) -> dict[str, str]:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set by the browser tests' fixtures in this process; a deployment never has it.
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update(
        VENTANILLA_TESTING="0",
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="311.gob.pa",
        CSRF_TRUSTED_ORIGINS="https://311.gob.pa",
        SITE_URL="https://311.gob.pa",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        VENTANILLA_VAR_DIR=str(tmp_path),
    )
    return env


def test_the_deployment_check_reports_nothing_with_production_settings(tmp_path):
    command = [str(Path(sys.executable).parent / "ventanilla"), "check", "--deploy", "--fail-level", "WARNING"]
    result = subprocess.run(  # noqa: S603 - our own console script
        command, cwd=django_settings.BASE_DIR, env=production_env(tmp_path), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (1 silenced)." in result.stdout, result.stdout + result.stderr


def test_the_openapi_schema_generates_without_warnings_in_production(tmp_path):
    # The schema as /api/v1/schema/ publishes it: with the API's own generator settings.
    command = [str(Path(sys.executable).parent / "ventanilla"), "spectacular", "--fail-on-warn", "--validate",
               "--custom-settings", "api.schema.SCHEMA_SETTINGS", "--file", str(tmp_path / "schema.yaml")]
    result = subprocess.run(  # noqa: S603 - our own console script
        command, cwd=django_settings.BASE_DIR, env=production_env(tmp_path), capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert (tmp_path / "schema.yaml").read_text().startswith("openapi: 3")
