"""Loading a jurisdiction's territory and public bodies. Every loader is idempotent: run it twice and
the second run changes nothing; run it with a newer file and rows are updated in place by their code."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from shapely.geometry import shape

from . import geo
from .models import District, Entity, Membership, Province


def district_code(province_code: str, name: str) -> str:
    from django.utils.text import slugify

    return f"{province_code.lower()}-{slugify(name)}"


@transaction.atomic
def load_boundaries(
    path: Path,
    district_property: str = "district",
    province_property: str = "province",
    province_code_property: str = "province_iso",
) -> int:
    """Load (or replace) district polygons from a GeoJSON FeatureCollection; returns the district count.

    A district is matched by province code and name, so loading a newer file updates polygons in place
    and keeps the municipalities linked to their district.
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    seen = []
    for feature in data["features"]:
        props = feature["properties"]
        province, _ = Province.objects.update_or_create(
            code=props[province_code_property], defaults={"name": props[province_property]}
        )
        geometry = feature["geometry"]
        min_lon, min_lat, max_lon, max_lat = shape(geometry).bounds
        district, _ = District.objects.update_or_create(
            code=district_code(province.code, props[district_property]),
            defaults={
                "name": props[district_property],
                "province": province,
                "geometry": geometry,
                "min_lat": min_lat,
                "max_lat": max_lat,
                "min_lon": min_lon,
                "max_lon": max_lon,
            },
        )
        seen.append(district.pk)
    geo.reset_cache()
    return len(seen)


@transaction.atomic
def load_entities(rows: list[dict[str, Any]]) -> int:
    """Create or update entities by code; parents are linked in a second pass so order does not matter."""
    for row in rows:
        district = None
        if row.get("district"):
            district = District.objects.filter(name=row["district"]).first()
            if district is None:
                raise ValueError(f"Entity {row['code']}: unknown district {row['district']!r}")
        Entity.objects.update_or_create(
            code=row["code"],
            defaults={
                "name": row["name"],
                "acronym": row.get("acronym") or "",
                "kind": row["kind"],
                "website": row.get("website") or "",
                "phone": row.get("phone") or "",
                "email": row.get("email") or "",
                "district": district,
                "is_contact_center": bool(row.get("is_contact_center")),
                "is_oversight": bool(row.get("is_oversight")),
                # The operations board (operations/): centers whose operators see every alert, and
                # agencies whose dispatchers are sent to them.
                "is_operations_center": bool(row.get("is_operations_center")),
                "is_responding_agency": bool(row.get("is_responding_agency")),
                "active": row.get("active", True),
            },
        )
    for row in rows:
        if row.get("parent"):
            Entity.objects.filter(code=row["code"]).update(parent=Entity.objects.get(code=row["parent"]))
    return len(rows)


@transaction.atomic
def load_staff(rows: list[dict[str, Any]], password: str) -> int:
    """Demo staff accounts, one membership each. Existing users keep their password."""
    User = get_user_model()
    for row in rows:
        user, created = User.objects.get_or_create(
            username=row["username"],
            defaults={
                "first_name": row.get("first_name", ""),
                "last_name": row.get("last_name", ""),
                "email": row.get("email", ""),
            },
        )
        if created:
            user.set_password(password)
        if row["role"] == "admin":
            user.is_superuser = user.is_staff = True
        user.save()
        if row.get("entity") and row["role"] != "admin":
            Membership.objects.get_or_create(user=user, entity=Entity.objects.get(code=row["entity"]), role=row["role"])
    return len(rows)
