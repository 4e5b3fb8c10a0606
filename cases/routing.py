"""Which entity receives a new case, and why. The decision is recorded as a `routed` event."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from entities.models import District, Entity

from .models import Category

# Reason codes are stored on the event; their text is rendered in the reader's language.
REASONS = {
    "procedure_entity": _("Sent to the entity that publishes the procedure."),
    "municipal_district": _("Sent to the municipality of the district where the problem is."),
    "municipal_fallback_owner": _("No municipality serves this location; sent to the category's entity."),
    "category_owner": _("Sent to the entity responsible for this category."),
    "triage": _("No entity could be determined automatically; the 311 center will route it."),
    "manual_transfer": _("Transferred to another entity."),
}


@dataclass(frozen=True)
class RoutingDecision:
    entity: Entity | None
    reason: str

    @property
    def explanation(self) -> str:
        return str(REASONS[self.reason])


def route_case(category: Category, district: District | None, procedure=None) -> RoutingDecision:
    if procedure is not None and procedure.entity.active:
        return RoutingDecision(procedure.entity, "procedure_entity")
    if category.municipal:
        municipality = (
            Entity.objects.filter(district=district, kind=Entity.Kind.MUNICIPALITY, active=True).first()
            if district is not None
            else None
        )
        if municipality is not None:
            return RoutingDecision(municipality, "municipal_district")
        if category.owner is not None and category.owner.active:
            return RoutingDecision(category.owner, "municipal_fallback_owner")
    elif category.owner is not None and category.owner.active:
        return RoutingDecision(category.owner, "category_owner")
    return RoutingDecision(Entity.objects.contact_center(), "triage")
