"""Catalog search behaviour on the sample catalog (catalog_data.py), through the database in use."""

from __future__ import annotations

import json

import pytest

from catalog.loaders import load_procedures
from catalog.models import Procedure
from catalog.search import search_procedures
from catalog.tests.catalog_data import load_sample_catalog, procedure_rows

pytestmark = pytest.mark.django_db


def slugs(query: str, **filters) -> list[str]:
    return [procedure.slug for procedure in search_procedures(query, **filters)]


def first(query: str, **filters) -> str | None:
    found = slugs(query, **filters)
    return found[0] if found else None


def test_it_ignores_accents_and_case(catalog):
    expected = slugs("cédula")
    assert expected[0] in {"cedula-primera-vez", "cedula-duplicado"}
    assert slugs("cedula") == expected
    assert slugs("CÉDULA") == expected
    assert slugs("CeDuLa") == expected


def test_it_matches_other_forms_of_a_word(catalog):
    assert first("licencias de conducir") in {"licencia-conducir-primera-vez", "licencia-conducir-renovacion"}
    assert first("certificados de nacimiento") == "certificado-nacimiento"
    assert first("renovación de pasaportes") == "pasaporte-ordinario"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("pasaprote", {"pasaporte-ordinario"}),
        ("sedula", {"cedula-primera-vez", "cedula-duplicado"}),
        ("licensia", {"licencia-conducir-primera-vez", "licencia-conducir-renovacion"}),
        ("sertificado de nasimiento", {"certificado-nacimiento"}),
        ("pasaporet", {"pasaporte-ordinario"}),
    ],
)
def test_it_finds_the_procedure_despite_typos(catalog, query, expected):
    assert first(query) in expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("brevet", {"licencia-conducir-primera-vez", "licencia-conducir-renovacion"}),
        ("record policivo", {"record-policivo"}),
        ("récord policivo", {"record-policivo"}),
        ("RUC", {"inscripcion-ruc"}),
        ("NIT", {"inscripcion-ruc"}),
        ("identidad", {"cedula-primera-vez", "cedula-duplicado"}),
        ("acta de nacimiento", {"certificado-nacimiento"}),
        ("licencia comercial", {"aviso-de-operacion"}),
    ],
)
def test_it_finds_the_procedure_by_a_synonym_the_page_does_not_use(catalog, query, expected):
    assert first(query) in expected


def test_it_answers_english_queries_from_the_english_names(catalog):
    assert first("passport") == "pasaporte-ordinario"
    assert first("birth certificate") == "certificado-nacimiento"
    assert first("criminal record") == "record-policivo"
    assert first("driver's licence renewal") == "licencia-conducir-renovacion"


def test_it_ranks_a_match_in_the_name_above_a_mention_in_the_documents(catalog):
    # Many procedures ask for the cédula as a document; the cédula procedures come first.
    found = slugs("cedula")
    assert set(found[:2]) == {"cedula-primera-vez", "cedula-duplicado"}
    assert found.index("pasaporte-ordinario") > 1
    assert first("pasaporte") == "pasaporte-ordinario"


def test_it_ranks_the_procedure_that_matches_every_word_first(catalog):
    assert first("renovar licencia de conducir") == "licencia-conducir-renovacion"
    assert first("licencia de conducir primera vez") == "licencia-conducir-primera-vez"
    assert first("cédula perdida") == "cedula-duplicado"
    assert first("paz y salvo") == "paz-y-salvo-dgi"


def test_it_understands_a_question_in_plain_words(catalog):
    assert first("¿Cómo saco mi pasaporte?") == "pasaporte-ordinario"
    assert first("dónde pago la placa en San Miguelito") == "placa-san-miguelito"


def test_it_completes_the_word_being_typed(catalog):
    assert first("pasap") == "pasaporte-ordinario"
    assert first("certificado de naci") == "certificado-nacimiento"


def test_it_finds_nothing_for_unrelated_words(catalog):
    assert slugs("xylofonía cuántica") == []
    assert slugs("de la y") == []


def test_it_lists_procedures_by_name_when_there_are_no_words(catalog):
    listed = slugs("", theme="vehiculos")
    names = [p.name for p in search_procedures("", theme="vehiculos")]
    assert set(listed) == {"licencia-conducir-primera-vez", "licencia-conducir-renovacion", "placa-san-miguelito"}
    assert names == sorted(names)


def test_it_narrows_the_results_to_an_entity_or_a_theme(catalog, world):
    assert set(slugs("certificado", entity="TE")) == {"certificado-nacimiento"}
    assert set(slugs("cedula", theme="vehiculos")) <= {
        "licencia-conducir-primera-vez",
        "licencia-conducir-renovacion",
        "placa-san-miguelito",
    }
    assert slugs("cedula", theme="vehiculos")
    by_instance = slugs("licencia", entity=catalog["licencia-conducir-renovacion"].entity)
    assert set(by_instance) == {"licencia-conducir-primera-vez", "licencia-conducir-renovacion"}
    assert slugs("pasaporte", entity=world.idaan) == []


def test_it_respects_the_limit(catalog):
    assert len(search_procedures("cedula", limit=2)) == 2


def test_it_never_returns_unpublished_procedures(catalog):
    passport = catalog["pasaporte-ordinario"]
    passport.active = False
    passport.save()
    assert "pasaporte-ordinario" not in slugs("pasaporte")

    licence = catalog["licencia-conducir-renovacion"]
    licence.entity.active = False
    licence.entity.save()
    assert not {"licencia-conducir-primera-vez", "licencia-conducir-renovacion"} & set(slugs("licencia"))


def test_it_sees_catalog_changes_at_once(catalog):
    assert slugs("apostilla") == []
    load_procedures([{**_row("aviso-de-operacion"), "slug": "apostilla", "name": "Apostilla de documentos", "keywords": []}])
    assert first("apostilla") == "apostilla"

    renamed = Procedure.objects.get(slug="apostilla")
    renamed.name = "Traducción oficial de documentos"
    renamed.save()
    assert first("traduccion") == "apostilla"
    assert "apostilla" not in slugs("apostilla")


def test_it_uses_the_jurisdictions_synonyms_file(catalog, settings, tmp_path):
    assert slugs("chofer") == []
    extended = tmp_path / "search_synonyms.json"
    extended.write_text(json.dumps({"groups": [["licencia de conducir", "chofer"]]}), encoding="utf-8")
    settings.CATALOG_SYNONYMS_FILE = extended
    assert first("chofer") in {"licencia-conducir-primera-vez", "licencia-conducir-renovacion"}


def test_it_gives_the_same_order_every_time(catalog):
    assert slugs("certificado") == slugs("certificado") == slugs("CERTIFICADO")


def test_it_works_before_the_catalog_has_any_procedure(world):
    assert search_procedures("pasaporte") == []
    load_sample_catalog(world)
    assert first("pasaporte") == "pasaporte-ordinario"


def _row(slug: str) -> dict:
    return next(row for row in procedure_rows() if row["slug"] == slug)
