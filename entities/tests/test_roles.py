"""Roles.of(user): the roles every access rule starts from, read from memberships in active entities."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from entities.models import Membership
from entities.querysets import Roles
from ventanilla.testing import make_user


def fresh(user):
    return get_user_model().objects.get(pk=user.pk)


def test_each_role_is_read_from_the_users_memberships(world):
    assert Roles.of(fresh(world.alice)).staff_entities == {world.san_miguelito.pk}
    supervisor = Roles.of(fresh(world.supervisor))
    assert supervisor.staff_entities == supervisor.supervisor_entities == {world.san_miguelito.pk}
    assert Roles.of(fresh(world.agent)).is_agent
    assert Roles.of(fresh(world.investigator)).investigator_entities == {world.oversight.pk}
    assert Roles.of(fresh(world.operator)).is_operator
    assert Roles.of(fresh(world.admin)).is_admin


def test_a_user_without_memberships_has_no_back_office_role(world):
    assert Roles.of(fresh(world.charlie)) == Roles()
    assert not Roles.of(fresh(world.charlie)).is_staff_member
    assert Roles.of(AnonymousUser()) == Roles()
    assert Roles.of(None) == Roles()


def test_an_investigator_membership_outside_the_oversight_body_grants_nothing(world):
    mislabelled = make_user("ivan", Membership.Role.INVESTIGATOR, world.idaan)
    roles = Roles.of(fresh(mislabelled))
    assert not roles.is_investigator
    assert not roles.is_staff_member
    assert Roles.of(fresh(world.investigator)).is_investigator


def test_memberships_in_a_deactivated_entity_count_for_nothing(world):
    world.san_miguelito.active = False
    world.san_miguelito.save()
    assert Roles.of(fresh(world.alice)).staff_entities == frozenset()
    assert Roles.of(fresh(world.bob)).staff_entities == {world.david.pk}


def test_a_deactivated_user_has_no_roles(world):
    world.agent.is_active = False
    world.agent.save()
    assert Roles.of(fresh(world.agent)) == Roles()
