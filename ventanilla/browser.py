"""Pytest fixtures for end-to-end tests in headless Chromium (Debian's `chromium` package, driven by
Playwright; the browser is never downloaded by a test tool).

Usage in a test:  def test_it_reports(page, live_server, world): page.goto(live_server.url + "/reportar/")
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    # Without these Chromium tries Google's hosts at every start; this machine's network refuses them.
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        raise RuntimeError("Chromium is needed for the browser tests: apt-get install chromium (see README).")
    return path


@pytest.fixture(scope="session")
def browser():
    # Playwright's sync API runs an event loop in this thread; the test body still uses the ORM
    # synchronously, which is safe here because nothing else runs on that loop.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def _phone_page(browser, *, javascript: bool):
    """A fresh browser context (no cookies) in Spanish, sized like a common cheap phone (360 px)."""
    context = browser.new_context(locale="es-PA", viewport={"width": 360, "height": 740}, java_script_enabled=javascript)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


@pytest.fixture
def page(browser):
    yield from _phone_page(browser, javascript=True)


@pytest.fixture
def page_without_js(browser):
    yield from _phone_page(browser, javascript=False)


# --- Quality gates: accessibility scans and transfer sizes ----------------------------------------

ASSETS_DIR = Path(__file__).resolve().parent.parent / "assets"
AXE_PATH = ASSETS_DIR / "node_modules" / "axe-core" / "axe.min.js"
# WCAG 2.1 level A and AA rules (axe's tag names).
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, tags: list[str] = WCAG_21_AA, impacts: tuple[str, ...] = ("serious", "critical")) -> list[dict]:
    """Runs axe-core (from npm, see docs/frontend.md) on the page as it is now; the violations of the given impacts."""
    if not AXE_PATH.exists():
        raise RuntimeError(f"{AXE_PATH} is missing: run `make assets` first.")
    # Evaluated through the DevTools protocol, not added as an inline <script>: the pages' CSP forbids those.
    page.evaluate("source => { (0, eval)(source); }", AXE_PATH.read_text(encoding="utf-8"))
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", tags)
    return [violation for violation in result["violations"] if violation["impact"] in impacts]


def describe_violations(violations: list[dict]) -> str:
    """A readable failure message: rule, impact, help and the first offending elements."""
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:5]:
            summary = " ".join(line.strip() for line in node.get("failureSummary", "").splitlines()[:3])
            lines.append(f"    {' '.join(map(str, node['target']))} {node['html'][:160]}\n        {summary}")
    return "\n".join(lines)


class TransferMeter:
    """Bytes Chromium received over the network (headers + encoded bodies), per response, through the
    DevTools protocol: what a citizen's data plan pays for, compression included."""

    def __init__(self, page) -> None:
        self.page = page
        self.urls: dict[str, str] = {}
        self.sizes: dict[str, int] = {}
        self.session = page.context.new_cdp_session(page)
        self.session.on("Network.requestWillBeSent", self._on_request)
        self.session.on("Network.loadingFinished", self._on_finished)
        self.session.send("Network.enable")

    def _on_request(self, event: dict) -> None:
        self.urls[event["requestId"]] = event["request"]["url"]

    def _on_finished(self, event: dict) -> None:
        self.sizes[event["requestId"]] = int(event["encodedDataLength"])

    @property
    def total(self) -> int:
        return sum(self.sizes.values())

    def report(self) -> str:
        rows = sorted(((size, self.urls.get(rid, rid)) for rid, size in self.sizes.items()), reverse=True)
        return "\n".join(f"{size:>9,} B  {url}" for size, url in rows) + f"\n{self.total:>9,} B  total"


@pytest.fixture(scope="session")
def production_static_root(tmp_path_factory):
    """The static files as production has them: collectstatic into WhiteNoise's compressed manifest
    storage (hashed names, a .gz beside every text file). Collected once per test session."""
    from django.core.management import call_command
    from django.test import override_settings

    root = tmp_path_factory.mktemp("staticfiles")
    with override_settings(STATIC_ROOT=root, STORAGES=_production_storages()):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


def _production_storages() -> dict:
    from django.conf import settings

    return {**settings.STORAGES, "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


@pytest.fixture
def production_server(production_static_root, settings, transactional_db):
    """A live server that serves static files the production way: WhiteNoise (from the middleware,
    with compressed copies and far-future caching) instead of the test server's uncompressed handler.
    Yields the base URL."""
    from django.test.testcases import LiveServerThread

    settings.STATIC_ROOT = production_static_root
    settings.STORAGES = _production_storages()
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    # The WSGI handler is built inside the thread, after the settings above: WhiteNoise indexes STATIC_ROOT then.
    thread = LiveServerThread("localhost", static_handler=lambda application: application)
    thread.daemon = True
    thread.start()
    thread.is_ready.wait()
    if thread.error:
        raise thread.error
    try:
        yield f"http://localhost:{thread.port}"
    finally:
        thread.terminate()
