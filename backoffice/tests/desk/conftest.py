"""Shared data of the desk tests: a San Miguelito team with cases in every situation, a procedure of
theirs and of another entity, and a category their entity owns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.conf import settings
from django.utils import timezone

from cases.models import Case
from cases.services import Actor, resolve, transition
from catalog.models import Procedure
from ventanilla.testing import make_category, new_case


def make_procedure(entity, slug: str, *, reviewed_days_ago: int = 10, **fields) -> Procedure:
    defaults = dict(name=slug.replace("-", " ").capitalize(), summary="Un trámite de prueba.", requirements=["Cédula."])
    defaults.update(fields)
    return Procedure.objects.create(
        slug=slug, entity=entity, last_reviewed=timezone.localdate() - dt.timedelta(days=reviewed_days_ago), **defaults
    )


@pytest.fixture
def team(world):
    """San Miguelito: one case for alice (open, overdue), one resolved by her this month, one unassigned."""
    staff = Actor(user=world.supervisor)
    overdue = new_case(world, world.rubbish, description="Basura acumulada hace una semana.")
    transition(overdue, "assign", staff, assignee=world.alice)
    Case.objects.filter(pk=overdue.pk).update(due_at=timezone.now() - dt.timedelta(days=3))
    done = new_case(world, world.rubbish, description="Basura en la esquina.")
    transition(done, "assign", staff, assignee=world.alice)
    transition(done, "start", Actor(user=world.alice))
    resolve(done, Actor(user=world.alice), "Recogida el martes.")
    waiting = new_case(world, world.rubbish, description="Bolsas rotas en la acera.")
    elsewhere = new_case(world, world.rubbish, point=(8.4273, -82.4308), description="Basura en David.")
    return {"overdue": Case.objects.get(pk=overdue.pk), "done": done, "waiting": waiting, "elsewhere": elsewhere}


@pytest.fixture
def pruning(world):
    return make_category("PODA-ARBOLES", world.san_miguelito, name_es="Poda de árboles", name_en="Tree pruning", sla_business_days=8)


@pytest.fixture
def procedures(world):
    return {
        "fresh": make_procedure(world.san_miguelito, "permiso-de-construccion", reviewed_days_ago=30),
        "stale": make_procedure(world.san_miguelito, "paz-y-salvo-municipal", reviewed_days_ago=500),
        "david": make_procedure(world.david, "permiso-de-david", reviewed_days_ago=600),
    }


@pytest.fixture
def outdated_category(world):
    return make_category(settings.CATALOG_OUTDATED_CATEGORY, None, public=False, name_es="Información desactualizada")
