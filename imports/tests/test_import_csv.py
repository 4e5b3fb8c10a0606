"""Any CSV with a mapping file: columns, categories, entities and states named by the jurisdiction."""

import json

import pytest
from django.core.management import CommandError

from cases.models import Case, State

from .helpers import run_import

HEADER = "id,opened,closed,type,office,status,text,lat,lon\n"
ROWS = [
    "A-1,2024-03-04 09:15,2024-03-06 10:00,agua,IDAAN,cerrado,Sin agua en la calle 5,9.0430,-79.5070\n",
    "A-2,2024-03-05 11:00,,agua,IDAAN,abierto,Tubo roto,40.7128,-74.0060\n",
    "A-3,2024-03-05 12:00,,agua,IDAAN,abierto,Sin coordenadas,,\n",
    "A-4,ayer,,agua,IDAAN,abierto,Fecha mala,,\n",
    "A-5,2024-03-05 12:00,,desconocido,IDAAN,abierto,Tipo sin mapear,,\n",
]
MAPPING = {
    "source": "municipio-viejo",
    "timezone": "America/Panama",
    "datetime_formats": ["%Y-%m-%d %H:%M"],
    "columns": {"source_id": "id", "created_at": "opened", "closed_at": "closed", "category": "type",
                "entity": "office", "status": "status", "description": "text", "lat": "lat", "lon": "lon"},
    "categories": {"agua": "FALTA-AGUA"},
    "states": {"cerrado": "closed", "abierto": "received"},
}


def write(tmp_path, mapping=MAPPING, rows=ROWS, header=HEADER):
    data = tmp_path / "viejo.csv"
    data.write_text(header + "".join(rows), encoding="utf-8")
    rules = tmp_path / "viejo.json"
    rules.write_text(json.dumps(mapping), encoding="utf-8")
    return data, rules


def test_a_csv_is_imported_through_its_mapping_with_districts_where_points_fall_in_one(world, tmp_path):
    data, rules = write(tmp_path)
    _out, rejects = run_import(tmp_path, data, "csv", "--mapping", str(rules))
    cases = {c.source_id: c for c in Case.objects.filter(source="municipio-viejo")}
    assert set(cases) == {"A-1", "A-2", "A-3"}
    assert cases["A-1"].category == world.water and cases["A-1"].entity == world.idaan
    assert cases["A-1"].state == State.CLOSED and cases["A-1"].description == "Sin agua en la calle 5"
    assert cases["A-1"].district.name == "San Miguelito"
    # History is not refused for lying outside today's territory: it keeps its point and no district.
    assert (cases["A-2"].lat, cases["A-2"].district) == (40.7128, None)
    assert cases["A-3"].lat is None
    assert [r["line"] for r in rejects] == ["5", "6"]
    assert "FALTA" not in rejects[1]["reason"] and "DESCONOCIDO" in rejects[1]["reason"]


def test_the_csv_format_needs_a_mapping(world, tmp_path):
    data, _rules = write(tmp_path)
    with pytest.raises(CommandError, match="needs a mapping"):
        run_import(tmp_path, data, "csv")


@pytest.mark.parametrize(
    "change, message",
    [
        ({"states": {"cerrado": "archivado"}}, "Unknown case state"),
        ({"columns": {**MAPPING["columns"], "source_id": "numero"}}, "no column numero"),
        ({"columns": {"created_at": "opened"}}, "names no column for source_id"),
        ({"timezone": "Marte/Olympus"}, "Unknown time zone"),
        ({"source": ""}, "source system"),
        ({"channels": {"*": "paloma"}}, "Unknown channel"),
    ],
)
def test_mapping_errors_stop_the_import_with_a_clear_message(world, tmp_path, change, message):
    data, rules = write(tmp_path, {**MAPPING, **change})
    with pytest.raises(CommandError, match=message):
        run_import(tmp_path, data, "csv", "--mapping", str(rules))
    assert not Case.objects.filter(source="municipio-viejo").exists()


def test_a_mapping_file_that_is_not_json_is_a_clear_error(world, tmp_path):
    data, rules = write(tmp_path)
    rules.write_text("{not json", encoding="utf-8")
    with pytest.raises(CommandError, match="cannot be read"):
        run_import(tmp_path, data, "csv", "--mapping", str(rules))


def test_create_missing_creates_what_the_mapping_names(world, tmp_path):
    mapping = {**MAPPING, "categories": {"agua": "FALTA-AGUA", "desconocido": "OTROS-VIEJO"},
               "create": {"categories": {"OTROS-VIEJO": {"name": "Otros (sistema viejo)", "owner": "archivo"}},
                          "entities": {"archivo": {"name": "Archivo municipal", "kind": "other"}}}}
    data, rules = write(tmp_path, mapping)
    out, _rejects = run_import(tmp_path, data, "csv", "--mapping", str(rules), "--create-missing")
    case = Case.objects.get(source="municipio-viejo", source_id="A-5")
    assert case.category.code == "OTROS-VIEJO" and case.category.owner.code == "archivo"
    assert case.entity == world.idaan
    assert "OTROS-VIEJO" in out


def test_a_number_year_past_999999_continues_with_more_digits(world, tmp_path):
    from cases import numbering

    numbering.set_last_number(2024, 999_999)
    data, rules = write(tmp_path)
    run_import(tmp_path, data, "csv", "--mapping", str(rules))
    numbers = list(Case.objects.filter(source="municipio-viejo").by_number().values_list("number", flat=True))
    assert numbers == ["2024-1000000", "2024-1000001", "2024-1000002"]
