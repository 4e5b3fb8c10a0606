from cases.models import CaseEvent
from ventanilla.testing import DAVID, SAN_MIGUELITO, new_case


def test_rubbish_in_san_miguelito_goes_to_its_municipality(world):
    case = new_case(world, world.rubbish, point=SAN_MIGUELITO)
    assert case.entity == world.san_miguelito
    routed = case.events.get(kind=CaseEvent.Kind.ROUTED)
    assert routed.reason == "municipal_district" and routed.entity == world.san_miguelito


def test_rubbish_in_david_goes_to_municipio_de_david(world):
    case = new_case(world, world.rubbish, point=DAVID)
    assert case.entity == world.david
    assert case.district.name == "David"
