"""Which entity receives a new case, and why: the category, the municipality of the district where the
problem is, the category's owner as fallback, the 311 triage queue last. Each decision is a `routed` event."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, CaseEvent
from cases.services import create_case
from cases.validation import NewCase
from catalog.models import Procedure
from entities.models import District, Entity
from ventanilla.testing import DAVID, OUTSIDE, PANAMA_CITY, SAN_MIGUELITO, make_category, make_entity, new_case

# Checked against the boundary file: a point in the Bay of Panama about 1 km off the Panamá district's
# simplified coastline (inside the 0.02 degree tolerance), one about 2.8 km off (outside it), and one in
# the Pacific about 50 km south of the Azuero peninsula.
JUST_OFF_PANAMA_CITY = (8.96, -79.52)
FURTHER_OFF_PANAMA_CITY = (8.95, -79.50)
FAR_AT_SEA = (7.0, -80.0)


def routed(case: Case) -> CaseEvent:
    return case.events.get(kind=CaseEvent.Kind.ROUTED)


def test_rubbish_in_san_miguelito_goes_to_its_municipality(world):
    case = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    assert case.entity == world.san_miguelito
    assert case.district.name == "San Miguelito"
    event = routed(case)
    assert (event.reason, event.entity, event.public) == ("municipal_district", world.san_miguelito, True)


def test_rubbish_in_david_goes_to_municipio_de_david(world):
    case = new_case(world, world.rubbish, point=DAVID)
    assert case.entity == world.david
    assert case.district.name == "David"
    assert routed(case).reason == "municipal_district"


def test_a_municipal_category_falls_back_to_its_owner_where_no_municipality_serves(world):
    # The test world has no Municipio de Panamá, so Panama City has no municipality to receive the case.
    miviot = make_entity("MIVIOT", "Ministerio de Vivienda y Ordenamiento Territorial", Entity.Kind.MINISTRY)
    parks = make_category("PARQUE-DANADO", miviot, municipal=True)
    case = new_case(world, parks, point=PANAMA_CITY)
    assert case.district.name == "Panamá"
    assert case.entity == miviot
    assert (routed(case).reason, routed(case).entity) == ("municipal_fallback_owner", miviot)


def test_a_municipal_category_without_owner_goes_to_triage_where_no_municipality_serves(world):
    case = new_case(world, world.rubbish, point=PANAMA_CITY)
    assert case.entity == world.contact_center
    assert (routed(case).reason, routed(case).entity) == ("triage", world.contact_center)
    assert Case.objects.triage().filter(pk=case.pk).exists()


def test_an_inactive_municipality_does_not_receive_cases(world):
    world.san_miguelito.active = False
    world.san_miguelito.save()
    case = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    assert case.entity == world.contact_center
    assert routed(case).reason == "triage"


def test_a_national_category_goes_to_its_owner_wherever_the_problem_is(world):
    for point in (SAN_MIGUELITO, DAVID, None):
        case = new_case(world, world.water, point=point)
        assert case.entity == world.idaan
        assert (routed(case).reason, routed(case).entity) == ("category_owner", world.idaan)


def test_a_category_whose_owner_is_inactive_goes_to_triage(world):
    world.idaan.active = False
    world.idaan.save()
    case = new_case(world, world.water)
    assert case.entity == world.contact_center
    assert routed(case).reason == "triage"


def test_without_a_contact_center_an_unroutable_case_waits_in_the_triage_queue_unowned(world):
    world.contact_center.active = False
    world.contact_center.save()
    case = new_case(world, world.rubbish, point=PANAMA_CITY)
    assert case.entity is None
    assert routed(case).reason == "triage"
    assert Case.objects.triage().filter(pk=case.pk).exists()


def test_a_report_about_a_procedure_goes_to_the_entity_that_publishes_it(world):
    procedure = Procedure.objects.create(
        slug="cedula-juvenil", entity=world.david, name="Cédula juvenil", summary="…", last_reviewed=dt.date(2026, 1, 5)
    )
    case = create_case(
        NewCase(category_code="FALTA-AGUA", description="La información del trámite está mal."), procedure=procedure
    )
    assert case.entity == world.david
    assert routed(case).reason == "procedure_entity"


def test_a_point_just_off_the_coast_goes_to_the_nearest_district(world):
    mupa = make_entity("MUPA", "Municipio de Panamá", Entity.Kind.MUNICIPALITY, district=District.objects.get(name="Panamá"))
    case = new_case(world, world.rubbish, point=JUST_OFF_PANAMA_CITY)
    assert case.district.name == "Panamá"
    assert case.entity == mupa
    assert routed(case).reason == "municipal_district"


@pytest.mark.parametrize(
    "point", [FURTHER_OFF_PANAMA_CITY, FAR_AT_SEA, OUTSIDE], ids=["2.8 km at sea", "far at sea", "Colombia"]
)
def test_a_point_beyond_the_coastal_tolerance_is_rejected_as_outside(world, point):
    with pytest.raises(ValidationError) as exc:
        new_case(world, world.rubbish, point=point)
    assert [e.code for e in exc.value.error_dict["location"]] == ["outside_jurisdiction"]
    assert Case.objects.count() == 0


def test_the_coastal_tolerance_is_a_setting(world, settings):
    settings.GEO_TOLERANCE_DEGREES = 0.03
    case = new_case(world, world.rubbish, point=FURTHER_OFF_PANAMA_CITY)
    assert case.district.name == "Panamá"
