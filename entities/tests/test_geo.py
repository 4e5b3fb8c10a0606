"""Where a point is (entities.geo.locate): inside a district polygon, just off the simplified coast
(nearest district within the tolerance), or outside the jurisdiction."""

from __future__ import annotations

import copy

import pytest
from shapely.geometry import shape

from entities import geo
from entities.models import District
from ventanilla.testing import DAVID, OUTSIDE, PANAMA_CITY, SAN_MIGUELITO

JUST_OFF_PANAMA_CITY = (8.96, -79.52)  # Bay of Panama, about 1 km off the simplified coastline
NEW_ISLAND = (7.9, -82.5)  # Gulf of Chiriquí, about 25 km off the David district


@pytest.mark.parametrize(
    "point, district", [(SAN_MIGUELITO, "San Miguelito"), (DAVID, "David"), (PANAMA_CITY, "Panamá")]
)
def test_a_point_on_land_is_in_the_district_that_contains_it(world, point, district):
    location = geo.locate(*point)
    assert (location.district.name, location.exact) == (district, True)


def test_a_point_just_off_the_coast_is_given_the_nearest_district(world):
    location = geo.locate(*JUST_OFF_PANAMA_CITY)
    assert (location.district.name, location.exact) == ("Panamá", False)


@pytest.mark.parametrize("point", [OUTSIDE, (7.0, -80.0), (0.0, 0.0)], ids=["Colombia", "far at sea", "null island"])
def test_a_point_outside_the_territory_is_refused(world, point):
    with pytest.raises(geo.OutsideJurisdiction):
        geo.locate(*point)


def test_a_boundary_replaced_by_another_process_is_used_without_a_restart(world):
    """`load_jurisdiction --boundaries` runs in its own process; web workers must not keep the old polygons."""
    with pytest.raises(geo.OutsideJurisdiction):
        geo.locate(*NEW_ISLAND)  # the polygons are now cached in this process
    david = District.objects.get(name="David")
    lat, lon = NEW_ISLAND
    geometry = copy.deepcopy(david.geometry)
    if geometry["type"] == "Polygon":
        geometry = {"type": "MultiPolygon", "coordinates": [geometry["coordinates"]]}
    corners = [(-0.01, -0.01), (0.01, -0.01), (0.01, 0.01), (-0.01, 0.01), (-0.01, -0.01)]
    geometry["coordinates"].append([[[lon + dx, lat + dy] for dx, dy in corners]])
    david.geometry = geometry
    david.min_lon, david.min_lat, david.max_lon, david.max_lat = shape(geometry).bounds
    # Saved the way another process would: nothing tells this process's cache.
    david.save()
    location = geo.locate(*NEW_ISLAND)
    assert (location.district, location.exact) == (david, True)
