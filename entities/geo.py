"""Where a point is: which district contains it, and whether it is inside the jurisdiction at all.

The districts' bounding boxes are indexed columns, so the database hands back the few candidates whose
box holds the point and Shapely decides. Prepared geometries are cached per process and rebuilt when
the boundary set changes (an administrator may load a newer boundary file at any time).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Count, Max
from shapely import prepared
from shapely.geometry import Point, shape

from .models import District

_lock = threading.Lock()
_cache: dict[int, tuple] = {}
_cache_key: tuple | None = None


@dataclass(frozen=True)
class Location:
    district: District | None
    exact: bool  # False when the point fell just outside every polygon and the nearest district was taken


class OutsideJurisdiction(ValueError):
    """The point is not inside the territory the loaded boundaries describe."""


def _geometries() -> dict[int, tuple]:
    """{district id: (shape, prepared shape)}, rebuilt when districts change."""
    global _cache, _cache_key
    # The count and the highest id notice districts added or removed; the latest change time notices
    # polygons replaced in place by a newer boundary file, loaded in another process.
    key = tuple(District.objects.aggregate(n=Count("pk"), last=Max("pk"), changed=Max("updated_at")).values())
    if key != _cache_key:
        with _lock:
            built = {}
            for pk, geometry in District.objects.values_list("pk", "geometry"):
                geom = shape(geometry)
                built[pk] = (geom, prepared.prep(geom))
            _cache, _cache_key = built, key
    return _cache


def reset_cache() -> None:
    global _cache_key
    _cache_key = None


def locate(lat: float, lon: float) -> Location:
    """The district containing (lat, lon); the nearest one within the tolerance; else OutsideJurisdiction."""
    point = Point(lon, lat)
    geometries = _geometries()
    tolerance = settings.GEO_TOLERANCE_DEGREES
    candidates = District.objects.filter(
        min_lat__lte=lat + tolerance,
        max_lat__gte=lat - tolerance,
        min_lon__lte=lon + tolerance,
        max_lon__gte=lon - tolerance,
    ).select_related("province").defer("geometry")  # the polygons come from the cache above, not per request
    nearest: tuple[float, District] | None = None
    for district in candidates:
        geom, prep = geometries.get(district.pk, (None, None))
        if geom is None:
            continue
        if prep.contains(point):
            return Location(district=district, exact=True)
        distance = geom.distance(point)
        if distance <= tolerance and (nearest is None or distance < nearest[0]):
            nearest = (distance, district)
    if nearest is not None:
        return Location(district=nearest[1], exact=False)
    raise OutsideJurisdiction(f"({lat}, {lon}) is outside the loaded boundaries")
