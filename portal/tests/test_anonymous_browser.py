"""An anonymous complaint in a real browser: the tracking link is shown once, then never again."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from cases.models import Case

pytestmark = pytest.mark.browser

# Sending re-encodes photos and writes the case: on a busy test machine that takes longer than
# Playwright's default 5 s for an expectation.
AFTER_SENDING = 20_000


def test_a_complainant_gets_the_tracking_link_once_and_can_follow_the_complaint_with_it(page, live_server, transactional_world):
    page.goto(live_server.url + "/reportar/")
    page.get_by_role("link", name="formulario de denuncia anónima").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Presentar una denuncia anónima")
    expect(page.get_by_label("Correo electrónico (opcional)")).to_have_count(0)

    page.get_by_label("¿Qué pasó?").fill("En la ventanilla de permisos piden dinero para agilizar los trámites.")
    page.get_by_role("button", name="Enviar la denuncia").click()

    expect(page.locator(".govuk-panel__title")).to_have_text("Denuncia recibida", timeout=AFTER_SENDING)
    expect(page.locator(".govuk-warning-text")).to_contain_text("no podemos volver a mostrarlo")
    case = Case.objects.get()
    link = page.locator("[data-tracking-link]")
    expect(link).to_have_attribute("href", f"{live_server.url}/seguimiento/{case.tracking_token}/")
    expect(page.locator("[data-tracking-code]")).to_have_text(case.tracking_token)

    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text("Esta página ya no está disponible")
    expect(page.get_by_text(case.tracking_token)).to_have_count(0)
    page.go_back()
    expect(page.get_by_text(case.tracking_token)).to_have_count(0)

    page.goto(f"{live_server.url}/seguimiento/{case.tracking_token}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Denuncia de corrupción")
    expect(page.locator("[data-timeline]")).to_contain_text("Autoridad Nacional de Transparencia")
    assert case.is_anonymous and case.reporter_user is None
