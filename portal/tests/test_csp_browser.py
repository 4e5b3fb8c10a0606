"""The Content-Security-Policy is enforced by a real browser and nothing of ours breaks it: GOV.UK
Frontend starts from its file, the report form's map and filter work, and no violation is reported."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_report_journey_runs_under_the_policy_without_violations(page, live_server, transactional_world):
    violations = []
    page.on("console", lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None)
    page.add_init_script("document.addEventListener('securitypolicyviolation', e => console.error('Content Security Policy: ' + e.violatedDirective + ' ' + e.blockedURI))")

    page.goto(live_server.url + "/reportar/")
    page.get_by_label("Buscar en la lista").fill("basura")
    page.get_by_label("Basura no recogida").check()
    page.get_by_role("button", name="Continuar").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Basura no recogida")
    # GOV.UK Frontend started from govuk-init.js: the character count is live.
    page.wait_for_function("() => document.body.classList.contains('govuk-frontend-supported')")
    page.get_by_label("¿Qué está pasando?").fill("Basura.")
    expect(page.locator(".govuk-character-count__status")).to_contain_text("Le quedan")
    page.get_by_role("button", name="Marcar el lugar en un mapa").click()
    page.wait_for_function("() => window.ventanillaMap && window.ventanillaMap.map !== null")

    assert violations == []

    # Probe: the policy is really enforced; an inline script injected into the page is refused.
    page.evaluate("() => { const s = document.createElement('script'); s.textContent = 'window.injected = 1'; document.body.appendChild(s); }")
    assert page.evaluate("() => window.injected === undefined")
    page.wait_for_function("() => true")
    assert any("script-src" in v for v in violations), violations
