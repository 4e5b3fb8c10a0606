"""The retention job erases the contact data of cases that ended more than CONTACT_RETENTION_MONTHS ago,
everywhere it is kept, and nothing else: the case, its timeline, its survey answer and the access log's
rows (which hold no personal data) stay, and so do the figures computed from them."""

from __future__ import annotations

import datetime as dt
import io
import logging
import unicodedata

import pytest
from django.core.management import call_command
from django.utils import timezone

from backoffice.models import ContactAccess
from cases.models import Case, CaseContact, CaseEvent, RejectionReason, SurveyResponse
from cases.retention import erase_expired_contacts, months_before
from cases.services import Actor, reject, resolve, submit_survey, transition
from ventanilla.testing import new_case

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.timezone.utc)


def named_case(world, name: str, **fields) -> Case:
    return new_case(
        world,
        world.rubbish,
        contact_name=name,
        contact_email=unicodedata.normalize("NFKD", name.split()[0].lower()).encode("ascii", "ignore").decode() + "@example.invalid",
        contact_phone="6123-4567",
        contact_national_id="8-123-456",
        **fields,
    )


def closed(world, name: str, months_ago: int, days: int = 0) -> Case:
    case = named_case(world, name)
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    resolve(case, Actor(user=world.alice), "Recogida.")
    submit_survey(Case.objects.get(pk=case.pk), 5, True, "Muy bien.")
    transition(case, "close", Actor(user=None))
    ended = months_before(NOW, months_ago) - dt.timedelta(days=days)
    Case.objects.filter(pk=case.pk).update(closed_at=ended)
    ContactAccess.objects.create(case=case, user=world.alice, entity=case.entity)
    return Case.objects.get(pk=case.pk)


def figures() -> tuple:
    return (
        Case.objects.count(),
        CaseEvent.objects.count(),
        SurveyResponse.objects.count(),
        sorted(Case.objects.values_list("state", flat=True)),
        ContactAccess.objects.count(),
    )


def test_contacts_of_cases_closed_before_the_period_are_erased_and_nothing_else(world, settings):
    settings.CONTACT_RETENTION_MONTHS = 24
    old = closed(world, "María Pérez", months_ago=24, days=1)
    recent = closed(world, "José Rodríguez", months_ago=23)
    still_open = named_case(world, "Ana Gómez")
    Case.objects.filter(pk=still_open.pk).update(created_at=NOW - dt.timedelta(days=1000))
    before = figures()

    erased = erase_expired_contacts(now=NOW)

    assert erased == 1
    assert not CaseContact.objects.filter(case=old).exists()
    assert CaseContact.objects.filter(case=recent).exists() and CaseContact.objects.filter(case=still_open).exists()
    assert figures() == before
    fresh = Case.objects.get(pk=old.pk)
    assert (fresh.state, fresh.description, fresh.number) == (old.state, old.description, old.number)
    assert ContactAccess.objects.filter(case=old).count() == 1


def test_no_copy_of_the_erased_data_is_left_in_the_database(world, settings):
    settings.CONTACT_RETENTION_MONTHS = 12
    closed(world, "María Pérez", months_ago=13)

    erase_expired_contacts(now=NOW)

    dump = io.StringIO()
    call_command("dumpdata", "cases", "backoffice", "entities", stdout=dump)
    for secret in ["María Pérez", "maria@example.invalid", "6123-4567", "+50761234567", "8-123-456"]:
        assert secret not in dump.getvalue()


def test_rejected_cases_count_as_ended(world, settings):
    settings.CONTACT_RETENTION_MONTHS = 6
    case = named_case(world, "Luis Castillo")
    reject(case, RejectionReason.NOT_COMPETENT, Actor(user=world.alice), message="No nos corresponde.")
    Case.objects.filter(pk=case.pk).update(closed_at=months_before(NOW, 7))

    assert erase_expired_contacts(now=NOW) == 1
    assert not CaseContact.objects.filter(case=case).exists()


def test_a_reopened_case_keeps_its_contact(world, settings):
    settings.CONTACT_RETENTION_MONTHS = 1
    case = named_case(world, "Rosa Díaz")
    transition(case, "assign", Actor(user=world.supervisor), assignee=world.alice)
    resolve(case, Actor(user=world.alice), "Listo.")
    Case.objects.filter(pk=case.pk).update(resolved_at=NOW - dt.timedelta(days=400), closed_at=None)

    assert erase_expired_contacts(now=NOW) == 0
    assert CaseContact.objects.filter(case=case).exists()


def test_the_job_is_idempotent_and_logs_only_a_count(world, settings, caplog):
    settings.CONTACT_RETENTION_MONTHS = 24
    closed(world, "María Pérez", months_ago=30)

    with caplog.at_level(logging.INFO):
        assert erase_expired_contacts(now=NOW) == 1
        assert erase_expired_contacts(now=NOW) == 0

    assert "erased the contact data of 1 ended cases" in caplog.text
    assert "María" not in caplog.text and "example.invalid" not in caplog.text


def test_the_outbox_copies_are_erased_through_the_notifications_app_when_it_offers_it(world, settings):
    settings.CONTACT_RETENTION_MONTHS = 24
    case = closed(world, "María Pérez", months_ago=30)
    try:
        from notifications.retention import erase_message_personal_data  # noqa: F401
    except ImportError:
        # Without the notifications app's hook there is no outbox copy to erase; the contact still goes.
        assert erase_expired_contacts(now=NOW) == 1
        assert not CaseContact.objects.filter(case=case).exists()
        return
    from notifications import retention

    seen: list[list[int]] = []
    original = retention.erase_message_personal_data
    retention.erase_message_personal_data = lambda ids: (seen.append(list(ids)), original(ids))
    try:
        erase_expired_contacts(now=NOW)
    finally:
        retention.erase_message_personal_data = original
    assert seen == [[case.pk]]


def test_the_command_applies_the_rule_and_says_how_many(world, settings):
    settings.CONTACT_RETENTION_MONTHS = 24
    case = closed(world, "María Pérez", months_ago=0)
    Case.objects.filter(pk=case.pk).update(closed_at=timezone.now() - dt.timedelta(days=800))
    out = io.StringIO()

    call_command("erase_expired_contacts", stdout=out)

    assert "1 case(s)" in out.getvalue() and "24 months" in out.getvalue()
    assert not CaseContact.objects.filter(case=case).exists()


@pytest.mark.parametrize(
    "moment, months, expected",
    [
        (dt.datetime(2026, 3, 31, tzinfo=dt.timezone.utc), 1, dt.datetime(2026, 2, 28, tzinfo=dt.timezone.utc)),
        (dt.datetime(2026, 1, 15, tzinfo=dt.timezone.utc), 24, dt.datetime(2024, 1, 15, tzinfo=dt.timezone.utc)),
        (dt.datetime(2024, 2, 29, tzinfo=dt.timezone.utc), 12, dt.datetime(2023, 2, 28, tzinfo=dt.timezone.utc)),
    ],
)
def test_months_are_calendar_months(moment, months, expected):
    assert months_before(moment, months) == expected
