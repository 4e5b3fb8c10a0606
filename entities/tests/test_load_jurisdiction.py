"""`ventanilla load_jurisdiction` over the real Panama data set: idempotent, municipalities linked to
their districts, and a newer boundary file updates districts in place."""

from __future__ import annotations

import copy
import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command

from cases.models import Category, CategoryAttribute, NonWorkingDay
from cases.services import create_case
from cases.validation import NewCase
from catalog.models import Procedure, Theme
from entities import geo
from entities.models import District, Entity, Province
from ventanilla.testing import SAN_MIGUELITO

# A point in the Gulf of Chiriquí, about 25 km off the real David district: at sea until the modified
# boundary file gives David an island there.
NEW_ISLAND = (7.9, -82.5)


def real(name: str):
    return json.loads((settings.JURISDICTION_DATA_DIR / name).read_text(encoding="utf-8"))


def load(*args: str) -> str:
    out = StringIO()
    call_command("load_jurisdiction", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    models = [Province, District, Entity, Category, CategoryAttribute, NonWorkingDay, Theme, Procedure]
    return {model.__name__: model.objects.count() for model in models}


def rubbish_report(point: tuple[float, float]) -> NewCase:
    return NewCase(
        category_code="BASURA-NO-RECOGIDA",
        description="No pasa el carro de la basura.",
        lat=point[0],
        lon=point[1],
        attributes={"tipo_desecho": "domestico"},
    )


def with_island(geometry: dict, lat: float, lon: float, half: float = 0.01) -> dict:
    """The district's MultiPolygon plus a small square around (lat, lon)."""
    corners = [(-half, -half), (half, -half), (half, half), (-half, half), (-half, -half)]
    square = [[[lon + dx, lat + dy] for dx, dy in corners]]
    changed = copy.deepcopy(geometry)
    if changed["type"] == "Polygon":
        changed = {"type": "MultiPolygon", "coordinates": [changed["coordinates"]]}
    changed["coordinates"].append(square)
    return changed


def test_loading_the_real_data_twice_changes_nothing(db):
    # One test for several checks: each load of the real data set takes seconds.
    load()
    first = counts()
    districts_before = dict(District.objects.values_list("code", "pk"))
    entities_before = dict(Entity.objects.values_list("code", "pk"))
    load()
    assert counts() == first
    assert dict(District.objects.values_list("code", "pk")) == districts_before
    assert dict(Entity.objects.values_list("code", "pk")) == entities_before
    assert first["District"] == len(real("districts.geojson")["features"]) == 76
    assert first["Entity"] == len(real("entities.json"))
    assert first["Category"] == len(real("categories.json"))
    assert first["Province"] == len({f["properties"]["province_iso"] for f in real("districts.geojson")["features"]})
    assert first["NonWorkingDay"] == len(real("jurisdiction.json")["non_working_days"])

    # The fourteen municipalities are linked to their districts, and still are after the second run.
    expected = {row["code"]: row["district"] for row in real("entities.json") if row.get("district")}
    assert len(expected) == 14
    linked = dict(Entity.objects.filter(district__isnull=False).values_list("code", "district__name"))
    assert linked == expected
    assert Entity.objects.filter(kind=Entity.Kind.MUNICIPALITY, district__isnull=True).count() == 0

    # The triage queue and the oversight body exist, and only the oversight body owns sensitive categories.
    assert Entity.objects.contact_center() is not None
    assert Entity.objects.oversight().count() == 1
    assert set(Category.objects.sensitive().values_list("owner__is_oversight", flat=True)) == {True}


def test_a_newer_boundary_file_updates_a_district_in_place(db, tmp_path):
    load()
    before = counts()
    david = District.objects.get(name="David")
    municipality = Entity.objects.get(district=david)
    with pytest.raises(geo.OutsideJurisdiction):
        geo.locate(*NEW_ISLAND)
    # Rubbish there is refused today; after the newer file it goes to the Municipio de David.
    with pytest.raises(ValidationError):
        create_case(rubbish_report(NEW_ISLAND))
    assert create_case(rubbish_report(SAN_MIGUELITO)).entity.code == "MUNSM"

    data = real("districts.geojson")
    feature = next(f for f in data["features"] if f["properties"]["district"] == "David")
    feature["geometry"] = with_island(feature["geometry"], *NEW_ISLAND)
    newer = tmp_path / "districts-2027.geojson"
    newer.write_text(json.dumps(data), encoding="utf-8")
    output = load("--boundaries", str(newer))

    assert "districts: 76" in output
    assert counts() == before
    updated = District.objects.get(name="David")
    assert updated.pk == david.pk
    assert updated.geometry == feature["geometry"]
    assert updated.min_lat == pytest.approx(NEW_ISLAND[0] - 0.01)
    assert Entity.objects.get(pk=municipality.pk).district_id == david.pk
    assert geo.locate(*NEW_ISLAND).district == updated
    assert create_case(rubbish_report(NEW_ISLAND)).entity == municipality
    # The other districts are untouched.
    assert District.objects.get(name="San Miguelito").geometry == next(
        f["geometry"] for f in real("districts.geojson")["features"] if f["properties"]["district"] == "San Miguelito"
    )


def test_a_folder_without_a_jurisdiction_file_is_refused(db, tmp_path):
    with pytest.raises(CommandError):
        load("--dir", str(tmp_path))
    assert District.objects.count() == 0
