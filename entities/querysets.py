"""Who works where. Every access decision in the project starts from `Roles.of(user)`."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db import models


class EntityQuerySet(models.QuerySet):
    def active(self) -> "EntityQuerySet":
        return self.filter(active=True)

    def contact_center(self):
        """The entity whose queue is the triage queue (None if the jurisdiction has not set one)."""
        return self.filter(is_contact_center=True, active=True).order_by("pk").first()

    def oversight(self) -> "EntityQuerySet":
        return self.filter(is_oversight=True)


class MembershipQuerySet(models.QuerySet):
    def for_user(self, user) -> "MembershipQuerySet":
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user, entity__active=True)


@dataclass(frozen=True)
class Roles:
    """A user's roles, read once per request and cached on the user object.

    Entity ids are kept per role so that querysets can scope with plain `IN` lookups.
    """

    is_admin: bool = False
    agent_entities: frozenset[int] = field(default_factory=frozenset)
    staff_entities: frozenset[int] = field(default_factory=frozenset)  # staff and supervisors
    supervisor_entities: frozenset[int] = field(default_factory=frozenset)
    investigator_entities: frozenset[int] = field(default_factory=frozenset)
    operator_entities: frozenset[int] = field(default_factory=frozenset)
    dispatcher_entities: frozenset[int] = field(default_factory=frozenset)

    @classmethod
    def of(cls, user) -> "Roles":
        if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
            return cls()
        cached = getattr(user, "_ventanilla_roles", None)
        if cached is not None:
            return cached
        from .models import Entity, Membership

        by_role: dict[str, set[int]] = {role: set() for role in Membership.Role.values}
        for role, entity_id in Membership.objects.for_user(user).values_list("role", "entity_id"):
            by_role[role].add(entity_id)
        # An investigator's membership counts only in an oversight entity: a mislabelled membership
        # elsewhere must not open sensitive cases to that entity.
        oversight_ids = set(Entity.objects.oversight().values_list("pk", flat=True))
        roles = cls(
            is_admin=user.is_superuser,
            agent_entities=frozenset(by_role["agent"]),
            staff_entities=frozenset(by_role["staff"] | by_role["supervisor"]),
            supervisor_entities=frozenset(by_role["supervisor"]),
            investigator_entities=frozenset(by_role["investigator"] & oversight_ids),
            operator_entities=frozenset(by_role["operator"]),
            dispatcher_entities=frozenset(by_role["dispatcher"]),
        )
        user._ventanilla_roles = roles
        return roles

    @property
    def is_agent(self) -> bool:
        return bool(self.agent_entities)

    @property
    def is_investigator(self) -> bool:
        return bool(self.investigator_entities)

    @property
    def is_operator(self) -> bool:
        return bool(self.operator_entities)

    @property
    def is_dispatcher(self) -> bool:
        return bool(self.dispatcher_entities)

    @property
    def is_staff_member(self) -> bool:
        """Any back-office role at all."""
        return self.is_admin or bool(
            self.agent_entities
            | self.staff_entities
            | self.investigator_entities
            | self.operator_entities
            | self.dispatcher_entities
        )
