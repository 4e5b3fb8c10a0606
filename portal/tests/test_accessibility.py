"""Every public page, in Spanish and in English, through the real stack in Chromium:

- WCAG 2.1 AA: axe-core (from npm, assets/node_modules) finds no serious or critical violation;
- mobile first: at 360 px wide nothing makes the page scroll sideways.

A page is a builder: a function that takes a `Visit` and leaves the browser on the page to check
(creating the data it needs through the real services). To cover a new public page, add a builder
to PUBLIC_PAGES.
"""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from typing import Callable

import pytest
from django.conf import settings

from cases.models import Case
from cases.services import Actor, request_info, resolve, transition
from catalog.models import Procedure
from ventanilla.browser import axe_violations, describe_violations
from ventanilla.layout import localized_path
from ventanilla.testing import World, new_case

pytestmark = pytest.mark.browser

PHONE_WIDTH = 360


@dataclass
class Visit:
    page: object
    base_url: str
    language: str
    world: World

    def open(self, path: str, status: int = 200) -> None:
        url = self.base_url + localized_path(path, self.language)
        response = self.page.goto(url)
        assert response is not None and response.status == status, f"{url} answered {response and response.status}"

    def submit_empty(self, form_selector: str = "main form[method=post]") -> None:
        """Sends the page's form as it is (skipping the browser's own checks) to see the error page."""
        with self.page.expect_navigation() as navigation:
            self.page.locator(form_selector).first.evaluate("form => form.submit()")
        status = navigation.value.status
        # The form comes back with its errors (200, or 400/422 for some views), never a refusal or a crash.
        assert status in {200, 400, 422}, f"sending the form at {self.page.url} answered {status}"

    def remember_in_session(self, **values) -> None:
        """Puts values in a server-side session owned by this browser (what the site does after a POST)."""
        store = import_module(settings.SESSION_ENGINE).SessionStore()
        store.update(values)
        store.save()
        self.page.context.add_cookies(
            [{"name": settings.SESSION_COOKIE_NAME, "value": store.session_key, "url": self.base_url}]
        )


# --- Data the pages need --------------------------------------------------------------------------


def a_catalog(world: World) -> dict[str, Procedure]:
    from catalog.tests.catalog_data import load_sample_catalog

    return load_sample_catalog(world)


def a_case_waiting_for_the_citizen(world: World) -> Case:
    case = new_case(world, world.water)
    transition(case, "assign", Actor(world.agent))
    return request_info(case, Actor(world.agent), "¿En qué calle exactamente falta el agua?")


def a_resolved_case(world: World) -> Case:
    case = new_case(world, world.water)
    transition(case, "assign", Actor(world.agent))
    return resolve(case, Actor(world.agent), "Se reparó la tubería y se restableció el servicio.")


# --- The public pages -----------------------------------------------------------------------------


def home(visit: Visit) -> None:
    visit.open("/")


def page_not_found(visit: Visit) -> None:
    visit.open("/no-existe/", status=404)


def catalog_index(visit: Visit) -> None:
    a_catalog(visit.world)
    visit.open("/tramites/")


def catalog_search(visit: Visit) -> None:
    a_catalog(visit.world)
    visit.open("/tramites/?q=cedula")


def catalog_search_without_results(visit: Visit) -> None:
    a_catalog(visit.world)
    visit.open("/tramites/?q=zzzzqqq")


def catalog_theme(visit: Visit) -> None:
    a_catalog(visit.world)
    visit.open("/tramites/tema/identidad/")


def catalog_entity(visit: Visit) -> None:
    a_catalog(visit.world)
    visit.open("/tramites/entidad/TE/")


def procedure_detail(visit: Visit) -> None:
    a_catalog(visit.world)
    visit.open("/tramites/cedula-primera-vez/")


def procedure_outdated_form(visit: Visit) -> None:
    a_catalog(visit.world)
    visit.open("/tramites/cedula-primera-vez/informacion-desactualizada/")


def procedure_outdated_form_with_errors(visit: Visit) -> None:
    a_catalog(visit.world)
    visit.open("/tramites/cedula-primera-vez/informacion-desactualizada/")
    visit.submit_empty()


def procedure_outdated_sent(visit: Visit) -> None:
    from catalog.services import report_outdated_information
    from catalog.views import LAST_REPORT_KEY

    procedure = a_catalog(visit.world)["cedula-primera-vez"]
    case = report_outdated_information(procedure, what_is_wrong="El horario de la oficina cambió.")
    visit.remember_in_session(**{LAST_REPORT_KEY: case.pk})
    visit.open("/tramites/cedula-primera-vez/informacion-desactualizada/enviado/")


def report_category(visit: Visit) -> None:
    visit.open("/reportar/")


def report_form(visit: Visit) -> None:
    visit.open(f"/reportar/{visit.world.rubbish.code}/")


def report_form_with_errors(visit: Visit) -> None:
    visit.open(f"/reportar/{visit.world.rubbish.code}/")
    visit.submit_empty()


def report_received(visit: Visit) -> None:
    from portal.journey.views import LAST_REPORT_KEY

    visit.remember_in_session(**{LAST_REPORT_KEY: new_case(visit.world, visit.world.water).pk})
    visit.open("/reportar/recibido/")


def report_receipt(visit: Visit) -> None:
    from portal.journey.views import LAST_REPORT_KEY

    visit.remember_in_session(**{LAST_REPORT_KEY: new_case(visit.world, visit.world.water).pk})
    visit.open("/reportar/recibido/comprobante/")


def track_lookup(visit: Visit) -> None:
    visit.open("/seguimiento/")


def track_lookup_with_errors(visit: Visit) -> None:
    visit.open("/seguimiento/")
    visit.submit_empty()


def track_received_case(visit: Visit) -> None:
    visit.open(f"/seguimiento/{new_case(visit.world, visit.world.rubbish).tracking_token}/")


def track_information_reply_form(visit: Visit) -> None:
    visit.open(f"/seguimiento/{a_case_waiting_for_the_citizen(visit.world).tracking_token}/")


def track_information_reply_with_errors(visit: Visit) -> None:
    visit.open(f"/seguimiento/{a_case_waiting_for_the_citizen(visit.world).tracking_token}/")
    visit.submit_empty("main form[action$='/responder/']")


def track_resolved_case(visit: Visit) -> None:
    visit.open(f"/seguimiento/{a_resolved_case(visit.world).tracking_token}/")


def survey(visit: Visit) -> None:
    visit.open(f"/encuesta/{a_resolved_case(visit.world).tracking_token}/")


def survey_with_errors(visit: Visit) -> None:
    visit.open(f"/encuesta/{a_resolved_case(visit.world).tracking_token}/")
    visit.submit_empty()


def survey_rating(visit: Visit) -> None:
    visit.open(f"/encuesta/{a_resolved_case(visit.world).tracking_token}/valoracion/?resuelto=no")


def survey_rating_with_errors(visit: Visit) -> None:
    survey_rating(visit)
    visit.submit_empty()


def survey_reopen(visit: Visit) -> None:
    visit.open(f"/encuesta/{a_resolved_case(visit.world).tracking_token}/reabrir/")


def survey_reopen_with_errors(visit: Visit) -> None:
    survey_reopen(visit)
    visit.submit_empty()


def survey_past_the_reopen_window(visit: Visit) -> None:
    from datetime import timedelta

    from django.utils import timezone

    case = a_resolved_case(visit.world)
    Case.objects.filter(pk=case.pk).update(resolved_at=timezone.now() - timedelta(days=settings.CASE_REOPEN_WINDOW_DAYS + 1))
    visit.open(f"/encuesta/{case.tracking_token}/reabrir/")


def anonymous_complaint(visit: Visit) -> None:
    visit.open("/denuncia/")


def anonymous_complaint_with_errors(visit: Visit) -> None:
    visit.open("/denuncia/")
    visit.submit_empty()


def anonymous_complaint_received(visit: Visit) -> None:
    from portal.journey.complaint import ONE_TIME_KEY

    case = new_case(visit.world, visit.world.corruption, point=None, is_anonymous=True)
    visit.remember_in_session(**{ONE_TIME_KEY: case.tracking_token})
    visit.open("/denuncia/recibida/")


PUBLIC_PAGES: dict[str, Callable[[Visit], None]] = {
    "home": home,
    "page not found": page_not_found,
    "catalog: index": catalog_index,
    "catalog: search": catalog_search,
    "catalog: search without results": catalog_search_without_results,
    "catalog: theme": catalog_theme,
    "catalog: entity": catalog_entity,
    "procedure": procedure_detail,
    "procedure: report outdated information": procedure_outdated_form,
    "procedure: report outdated information with errors": procedure_outdated_form_with_errors,
    "procedure: outdated information sent": procedure_outdated_sent,
    "report: category": report_category,
    "report: form": report_form,
    "report: form with errors": report_form_with_errors,
    "report: confirmation": report_received,
    "report: printable receipt": report_receipt,
    "track: lookup": track_lookup,
    "track: lookup with errors": track_lookup_with_errors,
    "track: received case": track_received_case,
    "track: information reply form": track_information_reply_form,
    "track: information reply with errors": track_information_reply_with_errors,
    "track: resolved case": track_resolved_case,
    "survey": survey,
    "survey with errors": survey_with_errors,
    "survey: rating": survey_rating,
    "survey: rating with errors": survey_rating_with_errors,
    "survey: reopen": survey_reopen,
    "survey: reopen with errors": survey_reopen_with_errors,
    "survey: past the reopen window": survey_past_the_reopen_window,
    "anonymous complaint": anonymous_complaint,
    "anonymous complaint with errors": anonymous_complaint_with_errors,
    "anonymous complaint: confirmation": anonymous_complaint_received,
}
LANGUAGES = ["es", "en"]


@pytest.fixture(params=LANGUAGES)
def language(request) -> str:
    return request.param


@pytest.fixture(params=list(PUBLIC_PAGES))
def visit(request, page, live_server, transactional_world, language) -> Visit:
    visit = Visit(page=page, base_url=live_server.url, language=language, world=transactional_world)
    PUBLIC_PAGES[request.param](visit)
    return visit


def test_the_page_has_no_serious_accessibility_problem(visit):
    assert visit.page.locator("html").get_attribute("lang") == visit.language

    violations = axe_violations(visit.page)

    assert violations == [], describe_violations(violations)


def test_the_page_does_not_scroll_sideways_on_a_phone(visit):
    assert visit.page.viewport_size["width"] == PHONE_WIDTH

    width = visit.page.evaluate("document.documentElement.scrollWidth")

    assert width <= PHONE_WIDTH, visit.page.evaluate(WIDEST_ELEMENTS)


# Names the elements that stick out, for the failure message.
WIDEST_ELEMENTS = """
[...document.querySelectorAll('body *')]
  .filter(e => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5)
  .slice(0, 8)
  .map(e => `${e.tagName.toLowerCase()}.${[...e.classList].join('.')} right=${Math.round(e.getBoundingClientRect().right)}`)
"""
