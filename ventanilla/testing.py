"""Test data builders shared by every app's tests (the kitsune lesson: factories, not fixtures files).

`World` is a small real Panama: the real district polygons, a handful of real entities and categories,
and one user per role, following the healthchecks alice/bob/charlie idea:
alice works for the Municipio de San Miguelito, bob for the Municipio de David, charlie has no role.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from shapely.geometry import shape

from cases.models import Category, CategoryAttribute
from entities import geo
from entities.models import District, Entity, Membership, Province
from entities.services import district_code

# Real points, checked against the boundary file.
SAN_MIGUELITO = (9.0430, -79.5070)  # Calle principal de San Miguelito
DAVID = (8.4273, -82.4308)  # Parque Cervantes, David, Chiriquí
PANAMA_CITY = (8.9824, -79.5199)  # Plaza de la Independencia area
OUTSIDE = (4.7110, -74.0721)  # Bogotá, Colombia
PASSWORD = "correct-horse-battery-staple"  # noqa: S105 - the test users' password


@lru_cache(maxsize=1)
def _boundary_rows() -> tuple[tuple[str, str, str, dict, tuple], ...]:
    data = json.loads((settings.JURISDICTION_DATA_DIR / "districts.geojson").read_text(encoding="utf-8"))
    rows = []
    for feature in data["features"]:
        p = feature["properties"]
        rows.append((p["province_iso"], p["province"], p["district"], feature["geometry"], shape(feature["geometry"]).bounds))
    return tuple(rows)


def load_territory() -> None:
    """The real districts, inserted in bulk (tests need them often; parsing once per process)."""
    provinces = {}
    for code, name, *_ in _boundary_rows():
        if code not in provinces:
            provinces[code] = Province.objects.get_or_create(code=code, defaults={"name": name})[0]
    District.objects.bulk_create(
        [
            District(
                code=district_code(pcode, name),
                name=name,
                province=provinces[pcode],
                geometry=geometry,
                min_lon=bounds[0],
                min_lat=bounds[1],
                max_lon=bounds[2],
                max_lat=bounds[3],
            )
            for pcode, _pname, name, geometry, bounds in _boundary_rows()
        ],
        ignore_conflicts=True,
    )
    geo.reset_cache()


def make_entity(code: str, name: str, kind: str = Entity.Kind.AUTONOMOUS, **fields: Any) -> Entity:
    return Entity.objects.create(code=code, name=name, acronym=fields.pop("acronym", code), kind=kind, **fields)


def make_user(username: str, role: str | None = None, entity: Entity | None = None, **fields: Any):
    user = get_user_model().objects.create_user(username=username, password=PASSWORD, email=f"{username}@example.invalid", **fields)
    if role:
        Membership.objects.create(user=user, entity=entity, role=role)
    return user


def make_category(code: str, owner: Entity | None, **fields: Any) -> Category:
    defaults = dict(
        group_es="General",
        group_en="General",
        name_es=code.title(),
        name_en=code.title(),
        sla_business_days=5,
    )
    defaults.update(fields)
    return Category.objects.create(code=code, owner=owner, **defaults)


@dataclass
class World:
    contact_center: Entity
    oversight: Entity
    san_miguelito: Entity
    david: Entity
    idaan: Entity
    sinaproc: Entity
    rubbish: Category
    water: Category
    corruption: Category
    flooding: Category
    alice: Any  # staff, Municipio de San Miguelito
    bob: Any  # staff, Municipio de David
    charlie: Any  # signed in, no role
    supervisor: Any  # supervisor, Municipio de San Miguelito
    agent: Any
    investigator: Any
    operator: Any
    admin: Any


def build_world() -> World:
    load_territory()
    districts = {d.name: d for d in District.objects.filter(name__in=["San Miguelito", "David"])}
    contact_center = make_entity("CCC311", "Centro de Atención Ciudadana 311", Entity.Kind.CONTACT_CENTER, is_contact_center=True)
    oversight = make_entity("ANTAI", "Autoridad Nacional de Transparencia y Acceso a la Información", Entity.Kind.AUTHORITY, is_oversight=True)
    san_miguelito = make_entity("MUNSM", "Municipio de San Miguelito", Entity.Kind.MUNICIPALITY, district=districts["San Miguelito"])
    david = make_entity("MUNDAVID", "Municipio de David", Entity.Kind.MUNICIPALITY, district=districts["David"])
    idaan = make_entity("IDAAN", "Instituto de Acueductos y Alcantarillados Nacionales")
    sinaproc = make_entity("SINAPROC", "Sistema Nacional de Protección Civil")
    rubbish = make_category("BASURA-NO-RECOGIDA", None, municipal=True, name_es="Basura no recogida", name_en="Uncollected rubbish")
    CategoryAttribute.objects.create(
        category=rubbish,
        code="tipo_desecho",
        datatype=CategoryAttribute.Datatype.SINGLEVALUELIST,
        required=True,
        description_es="¿Qué tipo de desecho?",
        description_en="What kind of waste?",
        values=[
            {"key": "domestico", "name_es": "Doméstico", "name_en": "Household"},
            {"key": "voluminoso", "name_es": "Voluminoso", "name_en": "Bulky"},
        ],
    )
    CategoryAttribute.objects.create(
        category=rubbish,
        code="dias_sin_recoleccion",
        datatype=CategoryAttribute.Datatype.NUMBER,
        description_es="¿Cuántos días sin recolección?",
        description_en="How many days without collection?",
    )
    water = make_category("FALTA-AGUA", idaan, name_es="Falta de agua", name_en="Water outage", sla_business_days=2)
    corruption = make_category(
        "DENUNCIA-CORRUPCION", oversight, sensitive=True, anonymous_allowed=True, sla_business_days=30,
        name_es="Denuncia de corrupción", name_en="Corruption complaint",
    )
    flooding = make_category("INUNDACION", sinaproc, urgent=True, sla_business_days=1, name_es="Inundación", name_en="Flooding")
    return World(
        contact_center=contact_center,
        oversight=oversight,
        san_miguelito=san_miguelito,
        david=david,
        idaan=idaan,
        sinaproc=sinaproc,
        rubbish=rubbish,
        water=water,
        corruption=corruption,
        flooding=flooding,
        alice=make_user("alice", Membership.Role.STAFF, san_miguelito),
        bob=make_user("bob", Membership.Role.STAFF, david),
        charlie=make_user("charlie"),
        supervisor=make_user("sofia", Membership.Role.SUPERVISOR, san_miguelito),
        agent=make_user("agente", Membership.Role.AGENT, contact_center),
        investigator=make_user("ines", Membership.Role.INVESTIGATOR, oversight),
        operator=make_user("oscar", Membership.Role.OPERATOR, sinaproc),
        admin=get_user_model().objects.create_superuser("root", "root@example.invalid", PASSWORD),
    )


def new_case(world: World, category: Category | None = None, point=SAN_MIGUELITO, **fields: Any):
    """A case filed through the real intake service (validation, routing, numbering, events)."""
    from cases.services import create_case
    from cases.validation import NewCase

    category = category or world.water
    attributes = fields.pop("attributes", {"tipo_desecho": "domestico"} if category.code == "BASURA-NO-RECOGIDA" else {})
    data = NewCase(
        category_code=category.code,
        description=fields.pop("description", "Sin agua desde ayer en toda la calle."),
        lat=point[0] if point else None,
        lon=point[1] if point else None,
        attributes=attributes,
        **fields,
    )
    return create_case(data)
