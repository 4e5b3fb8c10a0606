"""Fixtures for the REST API tests: token clients per user and a few real cases."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from rest_framework.test import APIClient

from api.services import issue_token
from cases.models import Case
from ventanilla.testing import SAN_MIGUELITO, new_case


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.credentials(HTTP_AUTHORIZATION=f"Token {issue_token(user).key}")
    return client


@dataclass
class Cases:
    rubbish: Case  # routed to the Municipio de San Miguelito (alice's entity), with the reporter's contact
    water: Case  # routed to IDAAN, where none of the test users works
    corruption: Case  # sensitive: only the oversight investigator sees it


@pytest.fixture
def cases(world) -> Cases:
    return Cases(
        rubbish=new_case(
            world,
            world.rubbish,
            SAN_MIGUELITO,
            contact_name="María Pérez",
            contact_email="maria@example.invalid",
            contact_phone="6123-4567",
        ),
        water=new_case(world, world.water),
        corruption=new_case(
            world, world.corruption, None, description="Cobran por un trámite gratuito.", is_anonymous=True
        ),
    )


@pytest.fixture
def as_user(world):
    """`as_user("alice")` is an API client holding alice's token; `as_user(None)` has no credentials."""

    def make(name: str | None) -> APIClient:
        return client_for(getattr(world, name) if name else None)

    return make
