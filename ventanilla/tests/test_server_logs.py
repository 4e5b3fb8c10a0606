"""The web server's access log keeps no tracking token and no complainant's address: read from the log
of a real uvicorn process after a citizen tracked a case and someone filed an anonymous complaint."""

from __future__ import annotations

import logging
import re

import requests

from cases.models import Case
from ventanilla.serverlog import REDACTED, RedactingFilter, redact
from ventanilla.testing import new_case
from ventanilla.tests.servers import serve


def csrf_token(html: str) -> str:
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


def test_the_access_log_redacts_tokens_and_forgets_the_complainants_address(transactional_world, tmp_path):
    world = transactional_world
    case = new_case(world)
    token = case.tracking_token

    with serve("uvicorn", tmp_path / "uvicorn.log") as server:
        browser = requests.Session()
        tracked = browser.get(f"{server.url}/seguimiento/{token}/", timeout=30)
        english = browser.get(f"{server.url}/en/seguimiento/{token}/?from=sms", timeout=30)
        survey = browser.get(f"{server.url}/encuesta/{token}/", timeout=30)
        wrong = browser.get(f"{server.url}/seguimiento/{'x' * 32}/", timeout=30)

        form = browser.get(f"{server.url}/denuncia/", timeout=30)
        sent = browser.post(
            f"{server.url}/denuncia/",
            data={
                "csrfmiddlewaretoken": csrf_token(form.text),
                "category_code": world.corruption.code,
                "description": "El funcionario pide dinero por agilizar permisos.",
            },
            headers={"Referer": f"{server.url}/denuncia/"},
            allow_redirects=False,
            timeout=30,
        )
        received = browser.get(f"{server.url}/denuncia/recibida/", timeout=30)
        log = server.log_text()

    assert tracked.status_code == 200 and english.status_code == 200 and wrong.status_code == 404
    assert survey.status_code in (200, 404)
    assert sent.status_code == 302, sent.text[:500]
    assert received.status_code == 200
    assert Case.objects.filter(category=world.corruption, is_anonymous=True).count() == 1
    # No banner: the server does not announce itself.
    assert "server" not in {header.lower() for header in tracked.headers}

    lines = log.splitlines()
    assert token not in log and "x" * 32 not in log
    assert any(f"/seguimiento/{REDACTED}/" in line and "127.0.0.1" in line for line in lines), log
    assert any(f"/en/seguimiento/{REDACTED}/" in line for line in lines), log
    complaint_lines = [line for line in lines if "/denuncia/" in line]
    assert len(complaint_lines) >= 3, log  # the form, the POST, the receipt
    for line in complaint_lines:
        assert "127.0.0.1" not in line, line


def test_gunicorn_style_atoms_are_redacted_and_anonymous_requests_lose_their_address():
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(r)s %(f)s", None, None)
    record.args = {"h": "203.0.113.9", "r": "GET /static/css/ventanilla.css HTTP/1.1", "f": "https://x.pa/denuncia/"}
    tracked = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, "%(h)s %(r)s", None, None)
    tracked.args = {"h": "203.0.113.9", "r": "GET /encuesta/SeCrEt-123/?token=abc HTTP/1.1"}

    RedactingFilter().filter(record)
    RedactingFilter().filter(tracked)

    assert record.getMessage() == "- GET /static/css/ventanilla.css HTTP/1.1 https://x.pa/denuncia/"
    assert tracked.getMessage() == f"203.0.113.9 GET /encuesta/{REDACTED}/?token={REDACTED} HTTP/1.1"


def test_django_request_warnings_are_redacted_too():
    assert redact("Not Found: /seguimiento/abc_DEF-123/") == f"Not Found: /seguimiento/{REDACTED}/"
    assert redact("/open311/v2/tokens/tok123.json") == f"/open311/v2/tokens/{REDACTED}"
    assert redact("/open311/v2/requests.json?service_code=X") == "/open311/v2/requests.json?service_code=X"


def test_the_shipped_uvicorn_log_config_is_the_generated_one():
    import json
    from pathlib import Path

    from ventanilla.serverlog import uvicorn_log_config

    shipped = Path(__file__).resolve().parents[1] / "serverlog-uvicorn.json"
    assert json.loads(shipped.read_text()) == json.loads(json.dumps(uvicorn_log_config()))
