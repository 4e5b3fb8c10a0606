"""The Panama data set marks its operations centers and responding agencies, and the demo staff has
operators, dispatchers and a shift supervisor for the board."""

import json

from django.conf import settings

from entities.models import Entity, Membership
from entities.querysets import Roles
from entities.services import load_entities, load_staff
from operations.jobs import shift_supervisors
from ventanilla.testing import load_territory


def rows(name):
    return json.loads((settings.JURISDICTION_DATA_DIR / name).read_text(encoding="utf-8"))


def test_the_loader_reads_operations_centers_and_responding_agencies(db):
    load_territory()
    load_entities(rows("entities.json"))
    centers = set(Entity.objects.filter(is_operations_center=True).values_list("code", flat=True))
    agencies = set(Entity.objects.filter(is_responding_agency=True).values_list("code", flat=True))
    assert centers == {"CCC311", "SINAPROC"}
    assert {"BCBRP", "PN", "SINAPROC", "MINSA"} <= agencies
    assert not Entity.objects.get(code="MUPA").is_responding_agency


def test_the_demo_staff_can_work_the_board(db):
    load_territory()
    load_entities(rows("entities.json"))
    load_staff(rows("staff.json"), "demo-password-123")
    dispatchers = Membership.objects.filter(role=Membership.Role.DISPATCHER)
    assert {m.entity.code for m in dispatchers} >= {"BCBRP", "PN"}
    assert all(m.entity.is_responding_agency for m in dispatchers)
    fire = dispatchers.get(entity__code="BCBRP").user
    assert Roles.of(fire).is_dispatcher
    assert [u.username for u in shift_supervisors()] == ["supervisor.311", "supervisor.sinaproc"]
