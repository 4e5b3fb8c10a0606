"""Who sees which cases (Case.objects.visible_to / public). Three users per rule: one allowed, one of
another entity, one with no role. Sensitive cases (corruption reports) are seen by oversight
investigators and nobody else — not agents, not administrators, not other roles of the oversight body."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from cases.models import Case
from cases.services import Actor, create_case, transfer
from cases.validation import NewCase
from entities.models import Membership
from ventanilla.testing import DAVID, SAN_MIGUELITO, make_category, make_entity, make_user, new_case


@pytest.fixture
def reports(world):
    return {
        "rubbish_sm": new_case(world, world.rubbish, point=SAN_MIGUELITO),
        "rubbish_david": new_case(world, world.rubbish, point=DAVID),
        "water": new_case(world, world.water),
        "flood": new_case(world, world.flooding),
        "corruption": new_case(world, world.corruption, point=None, is_anonymous=True),
    }


def seen_by(user, reports: dict[str, Case]) -> set[str]:
    """The labels of the cases a user sees; the user is re-read so no role is cached from an earlier call."""
    if getattr(user, "pk", None):
        user = get_user_model().objects.get(pk=user.pk)
    numbers = set(Case.objects.visible_to(user).values_list("number", flat=True))
    return {label for label, case in reports.items() if case.number in numbers}


NON_SENSITIVE = {"rubbish_sm", "rubbish_david", "water", "flood"}


def test_staff_see_only_their_entitys_cases(world, reports):
    assert seen_by(world.alice, reports) == {"rubbish_sm"}
    assert seen_by(world.bob, reports) == {"rubbish_david"}
    assert seen_by(world.charlie, reports) == set()


def test_supervisors_see_only_their_entitys_cases(world, reports):
    other_supervisor = make_user("dario", Membership.Role.SUPERVISOR, world.david)
    assert seen_by(world.supervisor, reports) == {"rubbish_sm"}
    assert seen_by(other_supervisor, reports) == {"rubbish_david"}
    assert seen_by(world.charlie, reports) == set()


def test_agents_see_every_non_sensitive_case(world, reports):
    assert seen_by(world.agent, reports) == NON_SENSITIVE
    assert seen_by(world.bob, reports) == {"rubbish_david"}
    assert seen_by(world.charlie, reports) == set()


def test_operators_see_urgent_cases_only(world, reports):
    other_operator = make_user("olga", Membership.Role.OPERATOR, world.idaan)
    assert seen_by(world.operator, reports) == {"flood"}
    # An operator's view is the urgent board whatever entity they belong to.
    assert seen_by(other_operator, reports) == {"flood"}
    assert "flood" not in seen_by(world.alice, reports)
    assert seen_by(world.charlie, reports) == set()


def test_investigators_of_the_oversight_body_see_sensitive_cases_only(world, reports):
    assert seen_by(world.investigator, reports) == {"corruption"}
    assert seen_by(world.bob, reports) == {"rubbish_david"}
    assert seen_by(world.charlie, reports) == set()


@pytest.mark.parametrize("who", ["agent", "admin", "alice", "bob", "supervisor", "operator", "charlie"])
def test_sensitive_cases_are_invisible_to_every_other_role(world, who, reports):
    assert "corruption" not in seen_by(getattr(world, who), reports)


def test_oversight_staff_without_the_investigator_role_do_not_see_sensitive_cases(world, reports):
    """DESIGN.md: sensitive categories are for oversight *investigators*. A staff member or supervisor
    of the oversight body (the category's owner) works its ordinary cases only."""
    clerk = make_user("carla", Membership.Role.STAFF, world.oversight)
    boss = make_user("bruno", Membership.Role.SUPERVISOR, world.oversight)
    assert Case.objects.get(pk=reports["corruption"].pk).entity == world.oversight
    assert seen_by(clerk, reports) == set()
    assert seen_by(boss, reports) == set()
    assert seen_by(world.investigator, reports) == {"corruption"}


def test_a_sensitive_category_owned_by_an_ordinary_entity_is_hidden_from_that_entitys_staff(world, reports):
    conflict = make_category("CONFLICTO-INTERES-AGUA", world.idaan, sensitive=True, anonymous_allowed=True)
    case = new_case(world, conflict, point=None, is_anonymous=True)
    reports["conflict"] = case
    assert Case.objects.get(pk=case.pk).entity == world.idaan
    idaan_staff = make_user("irene", Membership.Role.STAFF, world.idaan)
    assert seen_by(idaan_staff, reports) == {"water"}
    assert seen_by(world.investigator, reports) == {"corruption", "conflict"}


def test_an_investigator_membership_outside_the_oversight_body_grants_nothing(world, reports):
    mislabelled = make_user("ivan", Membership.Role.INVESTIGATOR, world.san_miguelito)
    assert seen_by(mislabelled, reports) == set()
    assert seen_by(world.investigator, reports) == {"corruption"}
    assert seen_by(world.charlie, reports) == set()


def test_a_user_with_several_roles_sees_the_union(world, reports):
    both = make_user("ximena", Membership.Role.STAFF, world.david)
    Membership.objects.create(user=both, entity=world.oversight, role=Membership.Role.INVESTIGATOR)
    assert seen_by(both, reports) == {"rubbish_david", "corruption"}


def test_a_deactivated_user_or_entity_sees_nothing(world, reports):
    world.alice.is_active = False
    world.alice.save()
    assert seen_by(world.alice, reports) == set()
    world.oversight.active = False
    world.oversight.save()
    assert seen_by(world.investigator, reports) == set()


def test_anonymous_visitors_see_nothing_in_the_back_office(world, reports):
    assert seen_by(AnonymousUser(), reports) == set()


def test_a_signed_in_citizen_sees_the_cases_they_reported(world, reports):
    mine = create_case(
        NewCase(category_code="FALTA-AGUA", description="Sin agua en mi casa."), reporter_user=world.charlie
    )
    reports["mine"] = mine
    assert seen_by(world.charlie, reports) == {"mine"}
    assert "mine" not in seen_by(world.bob, reports)


def test_the_public_record_excludes_sensitive_cases(world, reports):
    public = set(Case.objects.public().values_list("number", flat=True))
    assert {label for label, case in reports.items() if case.number in public} == NON_SENSITIVE


def test_moving_a_case_to_another_entity_moves_who_sees_it(world, reports):
    other = make_entity("MUNARR", "Municipio de Arraiján", "municipality")
    arraijan_staff = make_user("arturo", Membership.Role.STAFF, other)
    transfer(reports["rubbish_sm"], other, Actor(world.agent), "Queda en Arraiján")
    assert seen_by(arraijan_staff, reports) == {"rubbish_sm"}
    assert seen_by(world.alice, reports) == set()
