"""Bad input for a new case: every entry point goes through create_case -> validate_new_case, which must
name the field and give a specific code, and store nothing at all (not even a case number)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from django.core.exceptions import ValidationError

from cases.models import Case, CaseContact, CaseEvent, CaseSequence, CategoryAttribute
from cases.services import create_case
from cases.validation import NewCase
from ventanilla.testing import OUTSIDE, SAN_MIGUELITO, make_category

FAR_AT_SEA = (7.0, -80.0)  # Pacific, about 50 km south of the Azuero peninsula


@pytest.fixture
def tree_fall(world):
    """A category asking one question of each remaining Open311 datatype."""
    category = make_category("ARBOL-CAIDO", world.sinaproc, name_es="Árbol caído", name_en="Fallen tree")
    Datatype = CategoryAttribute.Datatype
    CategoryAttribute.objects.create(
        category=category, code="cuando", datatype=Datatype.DATETIME, description_es="¿Cuándo?", description_en="When?"
    )
    CategoryAttribute.objects.create(
        category=category,
        code="afecta",
        datatype=Datatype.MULTIVALUELIST,
        description_es="¿Qué afecta?",
        description_en="What does it affect?",
        values=[
            {"key": "via", "name_es": "La vía", "name_en": "The road"},
            {"key": "cables", "name_es": "Cables", "name_en": "Power lines"},
            {"key": "vivienda", "name_es": "Una vivienda", "name_en": "A home"},
        ],
    )
    CategoryAttribute.objects.create(
        category=category, code="referencia", datatype=Datatype.STRING, description_es="Referencia", description_en="Landmark"
    )
    return category


def rubbish_report(**changes) -> NewCase:
    base = NewCase(
        category_code="BASURA-NO-RECOGIDA",
        description="La basura no se recoge desde el lunes.",
        lat=SAN_MIGUELITO[0],
        lon=SAN_MIGUELITO[1],
        attributes={"tipo_desecho": "domestico", "dias_sin_recoleccion": "4"},
        contact_name="Ana Pérez",
        contact_email="ana@example.invalid",
    )
    return replace(base, **changes)


def tree_report(**attributes) -> NewCase:
    return NewCase(
        category_code="ARBOL-CAIDO",
        description="Un árbol cayó sobre la calle.",
        lat=SAN_MIGUELITO[0],
        lon=SAN_MIGUELITO[1],
        attributes=attributes,
    )


def corruption_report(**changes) -> NewCase:
    return replace(
        NewCase(category_code="DENUNCIA-CORRUPCION", description="Me cobraron un trámite gratuito.", is_anonymous=True),
        **changes,
    )


def stored_counts() -> tuple[int, int, int, list]:
    return (
        Case.objects.count(),
        CaseContact.objects.count(),
        CaseEvent.objects.count(),
        list(CaseSequence.objects.values_list("year", "last")),
    )


def error_codes(exc: ValidationError) -> dict[str, list[str]]:
    return {field: [e.code for e in errors] for field, errors in exc.error_dict.items()}


BAD_INPUT = [
    ("unknown category", lambda: rubbish_report(category_code="NO-EXISTE"), "service_code", "unknown_category"),
    ("coordinates in Colombia", lambda: rubbish_report(lat=OUTSIDE[0], lon=OUTSIDE[1]), "location", "outside_jurisdiction"),
    ("coordinates far at sea", lambda: rubbish_report(lat=FAR_AT_SEA[0], lon=FAR_AT_SEA[1]), "location", "outside_jurisdiction"),
    ("non-numeric latitude", lambda: rubbish_report(lat="nueve norte"), "location", "invalid_location"),
    ("non-numeric longitude", lambda: rubbish_report(lon="-79,5"), "location", "invalid_location"),
    ("latitude without longitude", lambda: rubbish_report(lon=None), "location", "invalid_location"),
    ("longitude without latitude", lambda: rubbish_report(lat=""), "location", "invalid_location"),
    ("latitude out of range", lambda: rubbish_report(lat=91), "location", "invalid_location"),
    ("latitude not a number", lambda: rubbish_report(lat="nan"), "location", "invalid_location"),
    ("empty description", lambda: rubbish_report(description=""), "description", "required"),
    ("blank description", lambda: rubbish_report(description=" \n\t "), "description", "required"),
    ("4,001-character description", lambda: rubbish_report(description="a" * 4001), "description", "max_length"),
    ("NUL in the description", lambda: rubbish_report(description="Basura\x00"), "description", "control_characters"),
    ("escape in the description", lambda: rubbish_report(description="\x1b[2JBasura"), "description", "control_characters"),
    ("control character in the name", lambda: rubbish_report(contact_name="Ana\x07"), "name", "control_characters"),
    ("unknown channel", lambda: rubbish_report(channel="pigeon"), "channel", "invalid_channel"),
    (
        "words for a number",
        lambda: rubbish_report(attributes={"tipo_desecho": "domestico", "dias_sin_recoleccion": "cuatro"}),
        "attribute[dias_sin_recoleccion]",
        "invalid_number",
    ),
    (
        "infinity for a number",
        lambda: rubbish_report(attributes={"tipo_desecho": "domestico", "dias_sin_recoleccion": "Infinity"}),
        "attribute[dias_sin_recoleccion]",
        "invalid_number",
    ),
    (
        "a number too large to store",
        lambda: rubbish_report(attributes={"tipo_desecho": "domestico", "dias_sin_recoleccion": "1e5000"}),
        "attribute[dias_sin_recoleccion]",
        "number_too_large",
    ),
    ("words for a date", lambda: tree_report(cuando="ayer en la tarde"), "attribute[cuando]", "invalid_datetime"),
    ("30 February", lambda: tree_report(cuando="2026-02-30T10:00"), "attribute[cuando]", "invalid_datetime"),
    (
        "a choice not in the single-value list",
        lambda: rubbish_report(attributes={"tipo_desecho": "radiactivo"}),
        "attribute[tipo_desecho]",
        "invalid_choice",
    ),
    (
        "two answers to a single-value list",
        lambda: rubbish_report(attributes={"tipo_desecho": ["domestico", "voluminoso"]}),
        "attribute[tipo_desecho]",
        "invalid",
    ),
    ("a choice not in the multi-value list", lambda: tree_report(afecta=["via", "ovni"]), "attribute[afecta]", "invalid_choice"),
    ("missing required attribute", lambda: rubbish_report(attributes={}), "attribute[tipo_desecho]", "required"),
    (
        "blank required attribute",
        lambda: rubbish_report(attributes={"tipo_desecho": "  "}),
        "attribute[tipo_desecho]",
        "required",
    ),
    (
        "unknown attribute",
        lambda: rubbish_report(attributes={"tipo_desecho": "domestico", "color": "verde"}),
        "attribute[color]",
        "unknown_attribute",
    ),
    ("attributes as a list", lambda: rubbish_report(attributes=["tipo_desecho"]), "attributes", "invalid_attributes"),
    (
        "anonymous in a category that requires a name",
        lambda: rubbish_report(is_anonymous=True, contact_name="", contact_email=""),
        "anonymous",
        "anonymous_not_allowed",
    ),
    (
        "anonymous with an email",
        lambda: corruption_report(contact_email="ana@example.invalid"),
        "anonymous",
        "anonymous_with_contact",
    ),
    ("anonymous with a cédula", lambda: corruption_report(contact_national_id="8-88-8"), "anonymous", "anonymous_with_contact"),
    ("invalid email", lambda: rubbish_report(contact_email="ana@"), "email", "invalid_email"),
    (
        "email longer than the column",
        lambda: rubbish_report(contact_email="a" * 64 + "@" + ("b" * 60 + ".") * 4 + "pa"),
        "email",
        "max_length",
    ),
    ("invalid phone", lambda: rubbish_report(contact_phone="llámeme"), "phone", "invalid_phone"),
]


@pytest.mark.parametrize("make_input, field, code", [case[1:] for case in BAD_INPUT], ids=[case[0] for case in BAD_INPUT])
def test_bad_input_names_the_field_and_stores_nothing(world, tree_fall, make_input, field, code):
    before = stored_counts()
    with pytest.raises(ValidationError) as exc:
        create_case(make_input())
    assert code in error_codes(exc.value).get(field, []), error_codes(exc.value)
    assert stored_counts() == before
    # The yearly sequence was not consumed: the next good report still gets number 1.
    case = create_case(rubbish_report())
    assert case.number.endswith("-000001")


def test_every_problem_is_reported_at_once(world):
    with pytest.raises(ValidationError) as exc:
        create_case(rubbish_report(description="", lat="x", attributes={}, contact_email="no"))
    assert error_codes(exc.value) == {
        "description": ["required"],
        "location": ["invalid_location"],
        "attribute[tipo_desecho]": ["required"],
        "email": ["invalid_email"],
    }


def test_a_4000_character_description_is_accepted(world):
    case = create_case(rubbish_report(description="a" * 4000))
    assert len(Case.objects.get(pk=case.pk).description) == 4000


def test_line_breaks_and_tabs_are_allowed_in_a_description(world):
    case = create_case(rubbish_report(description="Primera línea\r\n\tSegunda línea"))
    assert Case.objects.get(pk=case.pk).description == "Primera línea\n\tSegunda línea"


def test_the_description_limit_is_a_setting(world, settings):
    settings.CASE_DESCRIPTION_MAX_LENGTH = 20
    with pytest.raises(ValidationError) as exc:
        create_case(rubbish_report(description="a" * 21))
    assert error_codes(exc.value) == {"description": ["max_length"]}


def test_valid_attributes_are_stored_with_their_types(world, tree_fall):
    case = create_case(tree_report(cuando="2026-03-01T14:30", afecta=["via", "cables"], referencia="Frente al kiosco"))
    assert Case.objects.get(pk=case.pk).attributes == {
        "cuando": "2026-03-01T14:30:00",
        "afecta": ["via", "cables"],
        "referencia": "Frente al kiosco",
    }
    numbers = create_case(rubbish_report(attributes={"tipo_desecho": "voluminoso", "dias_sin_recoleccion": "4"}))
    assert Case.objects.get(pk=numbers.pk).attributes == {"tipo_desecho": "voluminoso", "dias_sin_recoleccion": 4}


def test_coordinates_given_as_text_are_accepted(world):
    case = create_case(rubbish_report(lat=" 9.0430", lon="-79.5070 "))
    assert case.district.name == "San Miguelito"
    assert (case.lat, case.lon) == SAN_MIGUELITO


def test_a_report_without_a_location_is_accepted_and_goes_to_triage(world):
    case = create_case(rubbish_report(lat=None, lon=None))
    assert case.district is None
    assert case.entity == world.contact_center


def test_an_inactive_category_is_unknown(world):
    world.rubbish.active = False
    world.rubbish.save()
    with pytest.raises(ValidationError) as exc:
        create_case(rubbish_report())
    assert error_codes(exc.value) == {"service_code": ["unknown_category"]}
    assert Case.objects.count() == 0
