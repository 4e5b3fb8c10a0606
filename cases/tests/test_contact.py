"""The reporter's personal data lives in CaseContact, apart from the case: created only when the
reporter gives details, never for an anonymous report."""

from __future__ import annotations

import json

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError

from cases.models import Case, CaseContact, CaseEvent
from cases.services import create_case
from cases.validation import NewCase
from ventanilla.testing import SAN_MIGUELITO


def water_report(**fields) -> NewCase:
    return NewCase(
        category_code="FALTA-AGUA", description="Sin agua desde ayer.", lat=SAN_MIGUELITO[0], lon=SAN_MIGUELITO[1], **fields
    )


def test_contact_details_are_kept_when_given(world):
    case = create_case(
        water_report(
            contact_name="  Ana Pérez ",
            contact_email="ana@example.invalid",
            contact_phone="+507 6123-4567",
            contact_national_id="8-123-456",
            language="en",
        )
    )
    contact = CaseContact.objects.get(case=case)
    assert (contact.name, contact.email, contact.phone, contact.national_id, contact.language) == (
        "Ana Pérez",
        "ana@example.invalid",
        "+507 6123-4567",
        "8-123-456",
        "en",
    )


def test_no_contact_row_without_details(world):
    case = create_case(water_report())
    assert not CaseContact.objects.filter(case=case).exists()


def test_blank_details_do_not_create_a_contact(world):
    case = create_case(water_report(contact_name="   ", contact_email=" "))
    assert not CaseContact.objects.filter(case=case).exists()


def test_an_anonymous_report_has_no_contact_and_no_reporter(world):
    case = create_case(
        NewCase(category_code="DENUNCIA-CORRUPCION", description="Cobro indebido.", is_anonymous=True),
        reporter_user=world.charlie,
    )
    fresh = Case.objects.get(pk=case.pk)
    assert fresh.is_anonymous and fresh.reporter_user is None
    assert CaseContact.objects.count() == 0


def test_an_anonymous_report_with_details_is_refused_rather_than_stored_without_them(world):
    with pytest.raises(ValidationError):
        create_case(
            NewCase(
                category_code="DENUNCIA-CORRUPCION", description="Cobro indebido.", is_anonymous=True, contact_phone="6123-4567"
            )
        )
    assert (Case.objects.count(), CaseContact.objects.count()) == (0, 0)


def test_personal_data_never_travels_with_the_case_or_its_timeline(world):
    case = create_case(
        water_report(contact_name="Ana Pérez", contact_email="ana@example.invalid", contact_national_id="8-123-456")
    )
    dumped = serializers.serialize("json", [Case.objects.get(pk=case.pk), *CaseEvent.objects.filter(case=case)])
    dumped += json.dumps(list(Case.history.filter(id=case.pk).values()), default=str)
    for personal in ("Ana Pérez", "ana@example.invalid", "8-123-456"):
        assert personal not in dumped


@pytest.mark.parametrize("sent, stored", [("en-US", "en"), ("es_PA", "es"), ("EN", "en"), ("tlh-Klingon-Qo", "es"), ("", "es")])
def test_the_contact_language_is_one_the_site_speaks(world, sent, stored):
    # The language arrives from outside (Open311 `locale`, a browser) and picks the notification language.
    case = create_case(water_report(contact_email="ana@example.invalid", language=sent))
    assert CaseContact.objects.get(case=case).language == stored
