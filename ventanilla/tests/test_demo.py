"""`make demo` as a newcomer runs it on a fresh checkout: it serves with DEBUG off through uvicorn
(compressed static files, friendly error pages, cookies without `Secure` on plain http), prints what to
open, and writes the `.env` that makes every command the README quotes work exactly as written.

Everything runs in subprocesses against a temporary database, static folder and `.env`
(VENTANILLA_VAR_DIR, STATIC_ROOT, VENTANILLA_ENV_FILE), never the checkout's own.
"""

from __future__ import annotations

import os
import re
import shlex
import signal
import subprocess
import sys
import time
import tomllib
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from django.conf import settings

from ventanilla.tests.servers import unused_port

BASE = Path(settings.BASE_DIR)
# One xdist worker runs this whole module (`--dist loadgroup`): its server starts once, not once per worker.
pytestmark = pytest.mark.xdist_group("demo")
BIN = Path(sys.executable).parent
# Settings the demo must get from .env, not from the test run's environment.
CLEARED = {"DEBUG", "DEMO", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL", "SECURE_COOKIES", "CSRF_TRUSTED_ORIGINS",
           "VENTANILLA_TESTING", "DATABASE_URL", "DJANGO_SETTINGS_MODULE", "REDIS_URL", "CELERY_BROKER_URL", "PORT"}


def demo_environment(tmp: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if key not in CLEARED and not key.startswith("PYTEST")}
    env.update(
        VENTANILLA_VAR_DIR=str(tmp / "var"),
        STATIC_ROOT=str(tmp / "static"),
        VENTANILLA_ENV_FILE=str(tmp / ".env"),
        # As after `source .venv/bin/activate`: the README writes both `.venv/bin/ventanilla` and `ventanilla`.
        PATH=f"{BIN}{os.pathsep}{env.get('PATH', '')}",
    )
    return env


def readme_commands() -> list[str]:
    """The `ventanilla …` commands quoted in the README, exactly as written."""
    text = (BASE / "README.md").read_text(encoding="utf-8")
    return re.findall(r"`((?:\.venv/bin/)?ventanilla [^`]+)`", text)


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    """`make demo` with a small case count, serving on a free port. Yields (base URL, output so far, env)."""
    tmp = tmp_path_factory.mktemp("demo")
    env = demo_environment(tmp)
    port = unused_port()
    # The prerequisites (install, assets, messages) are what the test run itself stands on: -o keeps make
    # from rebuilding them, so this runs the demo recipe exactly as `make demo` does.
    command = ["make", "--no-print-directory", "-o", "install", "-o", "assets", "-o", "messages", "demo",
               f"PORT={port}", "DEMO_ARGS=--cases 40"]
    process = subprocess.Popen(
        command, cwd=BASE, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    output: list[str] = []
    deadline = time.monotonic() + 600
    try:
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            output.append(line)
            if "Demo accounts and password" in line:
                break
        assert process.poll() is None, "".join(output)
        yield f"http://127.0.0.1:{port}", "".join(output), env, tmp
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)


def fetch(url: str, **headers: str):
    request = urllib.request.Request(url, headers=headers)
    try:
        return urllib.request.urlopen(request, timeout=30)
    except urllib.error.HTTPError as error:
        return error


def test_make_demo_prints_what_to_open(demo):
    base, output, _env, _tmp = demo
    assert f"{base}/" in output
    assert f"{base}/oficina/" in output
    assert f"{base}/admin/" in output
    assert "docs/demo.md" in output
    assert "ventanilla-demo-2026" in output  # load_demo's list of accounts


def test_the_demo_serves_compressed_static_files_with_debug_off(demo):
    base, _output, _env, _tmp = demo
    home = fetch(base + "/")
    html = home.read().decode()
    assert home.status == 200 and "server" in {k.lower() for k in home.headers} and "uvicorn" in home.headers["server"]
    stylesheet = re.search(r'href="(/static/[^"]+\.css)"', html).group(1)
    assert re.search(r"\.[0-9a-f]{12}\.css$", stylesheet), "hashed name from the manifest (DEBUG off)"

    css = fetch(base + stylesheet, **{"Accept-Encoding": "gzip"})
    assert css.status == 200 and css.headers["Content-Encoding"] == "gzip"
    assert "max-age=315360000" in css.headers["Cache-Control"]


def test_the_demo_shows_friendly_error_pages_and_no_traceback(demo):
    base, _output, _env, _tmp = demo
    missing = fetch(base + "/no-existe/")
    html = missing.read().decode()
    assert missing.status == 404
    assert "Página no encontrada" in html
    assert "Using the URLconf" not in html and "Traceback" not in html and "DEBUG = True" not in html


def test_the_plain_http_demo_sets_cookies_without_secure(demo):
    base, _output, _env, _tmp = demo
    page = fetch(base + "/seguimiento/")
    cookies = page.headers.get_all("Set-Cookie") or []
    assert any(cookie.startswith("csrftoken=") for cookie in cookies)
    assert not any("secure" in cookie.lower() for cookie in cookies)


def test_the_demo_signs_staff_in_with_the_published_password_and_totp_secret(demo):
    """docs/demo.md publishes one password and one TOTP secret: they open the back office and the admin."""
    from django_otp.oath import TOTP

    from backoffice.demo import demo_key_hex

    base, _output, _env, _tmp = demo
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())

    def post(url: str, fields: dict[str, str]):
        page = opener.open(url).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        return opener.open(urllib.request.Request(url, data=urllib.parse.urlencode({"csrfmiddlewaretoken": token, **fields}).encode()))

    answer = post(base + "/oficina/entrar/?next=/admin/", {"username": "admin", "password": "ventanilla-demo-2026"})
    assert answer.url.endswith("/oficina/entrar/codigo/")
    code = f"{TOTP(bytes.fromhex(demo_key_hex())).token():06d}"
    answer = post(base + "/oficina/entrar/codigo/", {"code": code})
    assert answer.status == 200 and answer.url.endswith("/admin/")


def test_the_env_file_holds_the_demo_settings_and_a_random_key(demo):
    _base, _output, _env, tmp = demo
    text = (tmp / ".env").read_text()
    assert "DEMO=1" in text and "DEBUG=0" in text and "SECURE_COOKIES=0" in text
    key = re.search(r"^SECRET_KEY=(.+)$", text, re.M).group(1)
    assert len(key) >= 50 and "insecure" not in key
    assert (tmp / ".env").stat().st_mode & 0o077 == 0


def test_every_command_quoted_in_the_readme_runs_as_written(demo):
    _base, _output, env, _tmp = demo
    commands = readme_commands()
    assert ".venv/bin/ventanilla migrate" in commands and "ventanilla create_api_key NAME" in commands
    assert "ventanilla api_token agente.311" in commands
    for command in commands:
        # The load-test size is the one thing not run as written (a million cases); the command is.
        argv = shlex.split(command.replace("--count 1000000", "--count 5"))
        result = subprocess.run(argv, cwd=BASE, env=env, capture_output=True, text=True, timeout=600)
        assert result.returncode == 0, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "SECRET_KEY is required" not in result.stderr


def test_the_api_token_printed_by_the_documented_command_opens_the_api(demo):
    base, _output, env, _tmp = demo
    token = subprocess.run(
        ["ventanilla", "api_token", "agente.311"], cwd=BASE, env=env, capture_output=True, text=True, timeout=300
    ).stdout.strip()
    answer = fetch(base + "/api/v1/cases/", Authorization=f"Token {token}", Accept="application/json")
    assert answer.status == 200


def test_the_real_environment_wins_over_the_env_file_and_tests_ignore_it(tmp_path):
    from ventanilla import envfile

    path = tmp_path / ".env"
    envfile.write({"DEBUG": "0", "SECRET_KEY": "from-file", "EXTRA": "'quoted value'"}, path, header="demo")
    environ = {"DEBUG": "1"}
    added = envfile.load(path, environ)
    assert environ == {"DEBUG": "1", "SECRET_KEY": "from-file", "EXTRA": "quoted value"}
    assert added == {"SECRET_KEY": "from-file", "EXTRA": "quoted value"}
    assert envfile.load(path, {"VENTANILLA_TESTING": "1"}) == {}


def test_a_log_line_is_printed_once(tmp_path):
    env = demo_environment(tmp_path)
    env["DEBUG"] = "1"  # Django's own console handler is active only with DEBUG on: where lines doubled.
    script = "import logging; logging.getLogger('django.request').warning('printed-once-marker')"
    result = subprocess.run(
        [str(BIN / "ventanilla"), "shell", "-c", script], cwd=BASE, env=env, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert (result.stdout + result.stderr).count("printed-once-marker") == 1


def test_the_package_licence_is_an_spdx_expression_for_a_setuptools_that_reads_it():
    project = tomllib.loads((BASE / "pyproject.toml").read_text(encoding="utf-8"))
    assert project["project"]["license"] == "AGPL-3.0-or-later"
    requirement = next(r for r in project["build-system"]["requires"] if r.startswith("setuptools"))
    assert tuple(int(part) for part in requirement.split(">=")[1].split(".")) >= (77,)
