"""MyLA311's export, with a mapping file that names the entities and categories to create."""

import json

from cases.models import Case, CaseEvent, Category, State
from entities.models import Entity

from .helpers import FIXTURES, run_import

LA = FIXTURES / "la311_excerpt.csv"
MAPPING = {
    "categories": {"Graffiti Removal": "LA-GRAFITI", "Bulky Items": "LA-VOLUMINOSOS"},
    "entities": {"OCB": "la-ocb", "BOS": "la-sanitation"},
    "create": {
        "entities": {"la-ocb": {"name": "Office of Community Beautification", "kind": "municipality"},
                     "la-sanitation": {"name": "LA Sanitation", "kind": "public_company"}},
        "categories": {"LA-GRAFITI": {"name": "Grafiti", "name_en": "Graffiti", "owner": "la-ocb"}},
    },
}


def mapping_file(tmp_path, content=MAPPING):
    path = tmp_path / "la.json"
    path.write_text(json.dumps(content), encoding="utf-8")
    return path


def test_la_rows_are_imported_with_the_entities_and_categories_the_mapping_names(world, tmp_path):
    out, rejects = run_import(tmp_path, LA, "la311", "--mapping", str(mapping_file(tmp_path)), "--create-missing")
    graffiti = Category.objects.get(code="LA-GRAFITI")
    assert (graffiti.name_es, graffiti.name_en, graffiti.owner.code) == ("Grafiti", "Graffiti", "la-ocb")
    assert Entity.objects.get(code="la-ocb").kind == Entity.Kind.MUNICIPALITY
    cases = Case.objects.filter(source="la311")
    assert cases.filter(category=graffiti).exists()
    assert not cases.exclude(category__code__in=["LA-GRAFITI", "LA-VOLUMINOSOS"]).exclude(entity=None).filter(
        entity__code__in=["la-ocb", "la-sanitation"], category__code__startswith="LA-").exists()
    case = cases.get(source_id="1-1262691971")
    assert case.state == State.CLOSED and case.channel == "web"  # "Self Service"
    assert case.events.filter(kind=CaseEvent.Kind.CLOSED).count() == 1
    assert len(rejects) == 5


def test_bad_la_rows_give_their_line_numbers_even_after_a_cell_over_two_lines(world, tmp_path):
    _out, rejects = run_import(tmp_path, LA, "la311", "--mapping", str(mapping_file(tmp_path)), "--create-missing")
    reasons = {r["line"]: r["reason"] for r in rejects}
    assert set(reasons) == {"32", "33", "34", "35", "38"}
    assert "no id" in reasons["32"]
    assert "creation date" in reasons["33"]
    assert "coordinates" in reasons["34"]
    assert "Lost in the mail" in reasons["35"]
    assert "12345" in reasons["38"]
    # The row whose address runs over two lines (36-37) is one good case.
    assert Case.objects.get(source="la311", source_id="1-9000000004").address.startswith("100 MAIN ST")


def test_a_mapping_with_an_unknown_key_stops_before_importing_anything(world, tmp_path):
    import pytest
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="Unknown key"):
        run_import(tmp_path, LA, "la311", "--mapping", str(mapping_file(tmp_path, {"categoris": {}})))
    assert not Case.objects.filter(source="la311").exists()
