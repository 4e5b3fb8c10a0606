"""The first-release fixes in a real browser (headless Chromium, a 360 px phone), in Spanish and English:
tracking by case number, the home page's warning and numbers, the privacy notice, and the category list
under collapsible headings with and without JavaScript."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from cases.services import Actor, request_info, transition
from ventanilla.browser import axe_violations, describe_violations
from ventanilla.testing import new_case

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    "prefix, label, button, heading, notice",
    [
        ("", "Número de caso", "Buscar el caso", "Basura no recogida", "vista pública del caso"),
        ("/en", "Case number", "Find the case", "Uncollected rubbish", "public view of the case"),
    ],
)
def test_a_citizen_with_only_the_number_sees_the_public_view(
    page_without_js, live_server, transactional_world, prefix, label, button, heading, notice
):
    world = transactional_world
    case = new_case(world, world.rubbish, contact_name="María Pérez", contact_email="maria@example.invalid")
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    request_info(case, Actor(user=world.alice), "¿En qué esquina exactamente?")
    page = page_without_js

    page.goto(f"{live_server.url}{prefix}/seguimiento/")
    page.get_by_label(label, exact=True).fill(case.number)
    page.get_by_role("button", name=button).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("[data-public-view]")).to_contain_text(notice)
    expect(page.locator("[data-timeline]")).to_contain_text("¿En qué esquina exactamente?")
    expect(page.get_by_text("María Pérez")).to_have_count(0)
    expect(page.locator("main form")).to_have_count(0)
    assert case.tracking_token not in page.url


@pytest.mark.parametrize(
    "prefix, warning, complaint",
    [("", "En una emergencia", "Presentar una denuncia anónima"), ("/en", "In an emergency", "Make an anonymous complaint")],
)
def test_the_home_page_shows_the_emergency_warning_numbers_and_complaint_link(page, live_server, transactional_world, prefix, warning, complaint):
    page.goto(f"{live_server.url}{prefix}/")

    expect(page.locator(".govuk-warning-text[data-emergency]")).to_contain_text(warning)
    expect(page.locator("[data-emergency] a[href='tel:911']")).to_be_visible()
    expect(page.locator("[data-contact-311] a[href='tel:311']")).to_be_visible()
    expect(page.locator("[data-contact-311] a[href^='https://wa.me/']")).to_have_text("6050-1311")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
    page.get_by_role("link", name=complaint).click()
    expect(page).to_have_url(f"{live_server.url}{prefix}/denuncia/")


@pytest.mark.parametrize("prefix, footer, title", [("", "Aviso de privacidad", "Sus derechos"), ("/en", "Privacy notice", "Your rights")])
def test_the_privacy_notice_is_reached_from_the_footer_and_is_accessible(page, live_server, transactional_world, prefix, footer, title):
    page.goto(f"{live_server.url}{prefix}/tramites/")

    page.locator("footer").get_by_role("link", name=footer).click()

    expect(page.get_by_role("heading", level=1)).to_have_text(footer)
    page.get_by_role("link", name=title).click()
    expect(page.locator(f"h2:has-text('{title}')")).to_be_in_viewport()
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)


def test_with_javascript_the_filter_opens_the_groups_that_match(page, live_server, transactional_world):
    page.goto(live_server.url + "/en/reportar/")
    expect(page.get_by_label("Uncollected rubbish")).to_be_hidden()  # collapsed under its heading

    page.get_by_label("Search the list").fill("rubbish")

    expect(page.get_by_label("Uncollected rubbish")).to_be_visible()
    expect(page.get_by_label("Water outage")).to_be_hidden()
    page.get_by_label("Uncollected rubbish").check()
    page.get_by_role("button", name="Continue").click()
    expect(page).to_have_url(live_server.url + "/en/reportar/BASURA-NO-RECOGIDA/")


def test_the_category_page_has_no_serious_accessibility_problems(page, live_server, transactional_world):
    cache.clear()  # the most reported list is cached for an hour
    new_case(transactional_world, transactional_world.water)
    page.goto(live_server.url + "/reportar/")

    expect(page.locator("[data-most-reported]")).to_contain_text("Falta de agua")
    violations = axe_violations(page)
    assert violations == [], describe_violations(violations)
