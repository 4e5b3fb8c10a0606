"""Shared fixtures of the back-office core tests (imported by each test module)."""

from __future__ import annotations

import pytest

from backoffice.testing import login_verified
from cases.models import Case
from ventanilla.testing import DAVID, SAN_MIGUELITO, new_case


@pytest.fixture
def office(client, world):
    """A client signed in (password + second factor) as alice, San Miguelito staff."""
    login_verified(client, world.alice)
    return client


def as_user(client, user):
    client.logout()
    login_verified(client, user)
    return client


@pytest.fixture
def rubbish(world) -> Case:
    """Uncollected rubbish in San Miguelito: alice's entity, with a named contact."""
    return new_case(
        world,
        world.rubbish,
        point=SAN_MIGUELITO,
        description="Basura acumulada frente a la casa de Juan, llamar al 6123-4567.",
        contact_name="Juan Pérez",
        contact_phone="6123-4567",
        contact_email="juan@example.invalid",
    )


@pytest.fixture
def david_case(world) -> Case:
    return new_case(world, world.rubbish, point=DAVID, description="Basura en David.")


@pytest.fixture
def complaint(world) -> Case:
    return new_case(world, world.corruption, point=None, channel="web", description="Cobran por un trámite gratuito.", is_anonymous=True)


def fresh(case: Case) -> Case:
    return Case.objects.get(pk=case.pk)


def snapshot(case: Case) -> tuple:
    row = fresh(case)
    return (row.state, row.entity_id, row.assignee_id, row.category_id, row.public_description, row.events.count())
