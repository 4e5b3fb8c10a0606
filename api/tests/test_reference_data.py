"""Categories, entities and procedures through the API."""

from __future__ import annotations

import datetime as dt

import pytest

from catalog.models import Procedure, Theme


@pytest.fixture
def procedures(world):
    business = Theme.objects.create(code="empresa", name_es="Abrir un negocio", name_en="Starting a business")
    permit = Procedure.objects.create(
        slug="permiso-de-operacion",
        entity=world.san_miguelito,
        name="Permiso de operación comercial",
        name_en="Business operating permit",
        summary="Autorización municipal para abrir un local comercial.",
        requirements=["Cédula del representante legal", "Aviso de operación"],
        last_reviewed=dt.date(2026, 1, 15),
    )
    permit.themes.add(business)
    water = Procedure.objects.create(
        slug="conexion-de-agua",
        entity=world.idaan,
        name="Conexión de agua potable",
        summary="Solicitud de una nueva conexión al acueducto.",
        last_reviewed=dt.date(2025, 11, 1),
    )
    hidden = Procedure.objects.create(
        slug="tramite-retirado",
        entity=world.idaan,
        name="Trámite retirado",
        summary="Ya no se ofrece.",
        last_reviewed=dt.date(2024, 1, 1),
        active=False,
    )
    return permit, water, hidden


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_back_office_users_get_every_active_category_with_its_questions(as_user, world):
    categories = {c["code"]: c for c in results(as_user("agent").get("/api/v1/categories/"))}
    assert "DENUNCIA-CORRUPCION" in categories
    questions = categories["BASURA-NO-RECOGIDA"]["attributes"]
    assert [q["code"] for q in questions] == ["tipo_desecho", "dias_sin_recoleccion"]
    assert questions[0]["values"][0] == {"key": "domestico", "name": "Doméstico"}


def test_others_get_the_listed_categories_without_questions(as_user, world):
    categories = {c["code"]: c for c in results(as_user("charlie").get("/api/v1/categories/"))}
    assert "DENUNCIA-CORRUPCION" not in categories
    assert categories["FALTA-AGUA"]["attributes"] is None
    assert as_user("charlie").get("/api/v1/categories/DENUNCIA-CORRUPCION/").status_code == 404


def test_category_names_follow_the_requested_language(as_user, world):
    client = as_user("agent")
    assert client.get("/api/v1/categories/FALTA-AGUA/").json()["name"] == "Falta de agua"
    assert client.get("/api/v1/categories/FALTA-AGUA/", HTTP_ACCEPT_LANGUAGE="en").json()["name"] == "Water outage"


def test_entities_are_listed_and_read_by_code(as_user, world):
    codes = [e["code"] for e in results(as_user("charlie").get("/api/v1/entities/"))]
    assert codes == sorted(codes) and "MUNSM" in codes
    entity = as_user("charlie").get("/api/v1/entities/MUNSM/").json()
    assert entity["kind"] == "municipality"
    assert entity["district"] is not None


def test_procedures_list_only_published_ones_and_filter_by_entity_and_theme(as_user, procedures):
    client = as_user("charlie")
    slugs = [p["slug"] for p in results(client.get("/api/v1/procedures/"))]
    assert slugs == ["conexion-de-agua", "permiso-de-operacion"]
    assert [p["slug"] for p in results(client.get("/api/v1/procedures/?entity=IDAAN"))] == ["conexion-de-agua"]
    assert [p["slug"] for p in results(client.get("/api/v1/procedures/?theme=empresa"))] == ["permiso-de-operacion"]
    assert client.get("/api/v1/procedures/tramite-retirado/").status_code == 404


def test_a_procedures_detail_carries_its_requirements(as_user, procedures):
    detail = as_user("charlie").get("/api/v1/procedures/permiso-de-operacion/").json()
    assert detail["requirements"] == ["Cédula del representante legal", "Aviso de operación"]
    assert detail["entity"] == "MUNSM"
    assert detail["themes"] == ["empresa"]


def test_search_finds_procedures_best_match_first(as_user, procedures):
    found = results(as_user("charlie").get("/api/v1/procedures/search/", {"q": "permiso para abrir un negocio"}))
    assert found[0]["slug"] == "permiso-de-operacion"
    assert "tramite-retirado" not in [p["slug"] for p in found]
    found = results(as_user("charlie").get("/api/v1/procedures/search/", {"q": "agua", "entity": "MUNSM"}))
    assert found == []


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"q": ""},
        {"q": "agua", "limit": "0"},
        {"q": "agua", "limit": "mucho"},
        {"q": "x" * 201},
        {"q": "agua", "theme": ""},
    ],
)
def test_a_bad_search_is_a_400(as_user, procedures, query):
    response = as_user("charlie").get("/api/v1/procedures/search/", query)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
