"""The home page: find a procedure, report a problem or follow one up, popular themes, published figures."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from cases.models import Case
from cases.services import Actor, resolve, transition
from catalog.models import Procedure, Theme
from ventanilla.testing import new_case


def make_procedure(world, slug: str, *themes: Theme, active: bool = True) -> Procedure:
    procedure = Procedure.objects.create(
        slug=slug,
        entity=world.idaan,
        name=f"Trámite {slug}",
        summary="Resumen del trámite.",
        last_reviewed=timezone.localdate(),
        active=active,
    )
    procedure.themes.set(themes)
    return procedure


@pytest.fixture
def themes(world):
    housing = Theme.objects.create(code="vivienda", name_es="Vivienda y propiedad", name_en="Housing and property")
    health = Theme.objects.create(code="salud", name_es="Salud", name_en="Health")
    Theme.objects.create(code="vacio", name_es="Tema sin trámites", name_en="Empty theme")
    withdrawn = Theme.objects.create(code="retirado", name_es="Tema con trámite retirado", name_en="Withdrawn theme")
    make_procedure(world, "permiso-construccion", housing)
    make_procedure(world, "paz-y-salvo-inmueble", housing)
    make_procedure(world, "certificado-salud", health)
    make_procedure(world, "retirado", withdrawn, active=False)
    return {"housing": housing, "health": health}


def test_it_offers_a_procedure_search_that_sends_the_words_to_the_catalog(client, world):
    response = client.get("/")

    assert response.status_code == 200
    html = response.content.decode()
    assert '<form action="/tramites/" method="get" role="search"' in html
    assert 'name="q"' in html
    assert "Buscar un trámite" in html


def test_it_leads_to_reporting_a_problem_and_to_following_up_a_report(client, world):
    html = client.get("/").content.decode()

    assert 'href="/reportar/">Reportar un problema</a>' in html
    assert 'href="/seguimiento/">Dar seguimiento a un reporte</a>' in html


def test_it_lists_themes_that_have_published_procedures_most_procedures_first(client, world, themes):
    html = client.get("/").content.decode()

    assert html.index("Vivienda y propiedad") < html.index("Salud")
    assert "2 trámites" in html and "1 trámite" in html
    assert "Tema sin trámites" not in html
    assert "Tema con trámite retirado" not in html
    assert 'href="/tramites/tema/vivienda/"' in html


def test_it_counts_the_public_reports_of_the_last_month_and_how_many_are_resolved(client, world):
    cache.clear()
    resolved = new_case(world, world.water)
    transition(resolved, "assign", Actor(world.agent))
    resolve(resolved, Actor(world.agent), "Se restableció el servicio.")
    new_case(world, world.rubbish)
    new_case(world, world.corruption)  # sensitive: never in published figures
    old = new_case(world, world.water)
    Case.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=45))

    html = client.get("/").content.decode()

    assert "recibieron 2 reportes de la ciudadanía; resueltos hasta hoy: 1." in html


def test_it_says_so_when_no_report_arrived_recently(client, world):
    cache.clear()

    html = client.get("/").content.decode()

    assert "No se recibieron reportes en los últimos 30 días." in html


def test_it_speaks_english_under_en(client, world, themes):
    html = client.get("/en/").content.decode()

    assert '<html lang="en"' in html
    assert "What do you need to do?" in html
    assert "Housing and property" in html
    assert '<form action="/en/tramites/"' in html
    assert 'href="/en/reportar/"' in html
    assert 'href="/en/tramites/tema/vivienda/"' in html


def test_it_refuses_a_post(client, world):
    assert client.post("/").status_code == 405


@pytest.mark.browser
def test_the_search_works_without_javascript(page_without_js, live_server, transactional_world):
    page = page_without_js
    page.goto(live_server.url + "/")
    page.get_by_label("Buscar un trámite").fill("pasaporte")
    with page.expect_navigation() as navigation:
        page.get_by_role("button", name="Buscar").click()

    assert navigation.value.status == 200
    assert page.url == live_server.url + "/tramites/?q=pasaporte"
