"""Builders for the operations tests: the test world plus an operations center, responding agencies,
their dispatchers and a shift supervisor."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from entities.models import Entity, Membership
from ventanilla.testing import SAN_MIGUELITO, World, make_entity, make_user


@dataclass
class OpsWorld:
    world: World
    bomberos: Entity
    police: Entity
    operator: Any  # oscar, operator at SINAPROC (the world's)
    operator2: Any  # another operator at the 311 center
    fire_dispatcher: Any
    police_dispatcher: Any
    shift_supervisor: Any


def build_ops(world: World) -> OpsWorld:
    world.sinaproc.is_operations_center = True
    world.sinaproc.is_responding_agency = True
    world.sinaproc.save()
    world.contact_center.is_operations_center = True
    world.contact_center.save()
    bomberos = make_entity("BCBRP", "Cuerpo de Bomberos", is_responding_agency=True)
    police = make_entity("PN", "Policía Nacional", acronym="PN", is_responding_agency=True)
    return OpsWorld(
        world=world,
        bomberos=bomberos,
        police=police,
        operator=world.operator,
        operator2=make_user("olga", Membership.Role.OPERATOR, world.contact_center, first_name="Olga", last_name="Ríos"),
        fire_dispatcher=make_user("diego", Membership.Role.DISPATCHER, bomberos),
        police_dispatcher=make_user("pedro", Membership.Role.DISPATCHER, police),
        shift_supervisor=make_user("sara", Membership.Role.SUPERVISOR, world.sinaproc),
    )


def file_flood(world: World, point=SAN_MIGUELITO, **details: Any):
    """An urgent case (flooding) through the operations intake; returns its alert."""
    from cases.validation import NewCase
    from operations.services import AlertDetails, file_alert

    data = NewCase(category_code=world.flooding.code, description="El río se salió, el agua entra a las casas.", lat=point[0], lon=point[1])
    return file_alert(data, AlertDetails(**details))
