"""What the desk pages change: calls that needed no case, cases filed for a caller, a category's service
level, a procedure's page and its review stamp, and who looked at a complainant's contact.

Case changes go through `cases.services` (which records their events); the records here are not part
of a case's life, and the catalog and category edits are kept by django-simple-history, with the
member who made them as `history_user`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases.models import Case, Category, Channel
from cases.services import Actor, create_case
from cases.validation import NewCase
from catalog.models import Procedure
from entities.models import Entity

from .models import ContactAccess, InformationContact

TOPIC_MAX_LENGTH = InformationContact._meta.get_field("topic").max_length
# A service level beyond a working year is a typing mistake, not a promise to a citizen.
MAX_SERVICE_LEVEL_DAYS = 250


def console_categories():
    """What a 311 agent may file for a caller: every active category except the sensitive ones, which
    go to the oversight body through the anonymous complaint form."""
    return Category.objects.active().filter(sensitive=False)


def file_phone_case(data: NewCase, *, agent) -> Case:
    """A case a 311 agent files while the caller is on the line. Channel `phone`, whatever was sent."""
    data.channel = Channel.PHONE
    data.is_anonymous = False
    return create_case(data, actor=Actor(user=agent, channel=Channel.PHONE), categories=console_categories())


def record_information_contact(
    *, agent, topic: str, entity: Entity | None = None, procedure: Procedure | None = None, channel: str = Channel.PHONE
) -> InformationContact:
    """A call answered without a case (a question about a procedure, an office's hours)."""
    topic = " ".join((topic or "").split())
    errors: dict[str, str] = {}
    if not topic:
        errors["topic"] = _("Say what the caller asked about.")
    elif len(topic) > TOPIC_MAX_LENGTH:
        errors["topic"] = _("Too long: %(length)d characters, the limit is %(limit)d.") % {
            "length": len(topic),
            "limit": TOPIC_MAX_LENGTH,
        }
    if channel not in Channel.values:
        errors["channel"] = _("Unknown channel.")
    if entity is not None and not entity.active:
        errors["entity"] = _("Choose an active entity.")
    if errors:
        raise ValidationError(errors)
    if procedure is not None and entity is None:
        entity = procedure.entity
    return InformationContact.objects.create(topic=topic, entity=entity, procedure=procedure, channel=channel, agent=agent)


@transaction.atomic
def set_service_level(category: Category, days: int, *, actor) -> Category:
    """A supervisor changes the business days their category promises. New cases get the new due
    date; cases already received keep the date they were given (the citizen was told it)."""
    if not 1 <= int(days) <= MAX_SERVICE_LEVEL_DAYS:
        raise ValidationError(
            {"sla_business_days": _("Give a number of business days from 1 to %(max)d.") % {"max": MAX_SERVICE_LEVEL_DAYS}}
        )
    locked = Category.objects.select_for_update().get(pk=category.pk)
    if locked.sla_business_days != int(days):
        locked.sla_business_days = int(days)
        locked._history_user = actor
        locked.save(update_fields=["sla_business_days"])
    return locked


PROCEDURE_FIELDS = (
    "name",
    "name_en",
    "summary",
    "summary_en",
    "who_may_apply",
    "requirements",
    "documents",
    "steps",
    "cost",
    "cost_notes",
    "duration",
    "online_url",
    "phone",
    "legal_basis",
    "source_url",
    "last_reviewed",
    "active",
)


@transaction.atomic
def save_procedure(procedure: Procedure, changes: dict, *, actor, reviewed_today: bool = False) -> Procedure:
    """Store a supervisor's edit of their entity's procedure. "Reviewed today" stamps the review date
    with today's date (the page then tells citizens the information was checked today)."""
    locked = Procedure.objects.select_for_update().get(pk=procedure.pk)
    for name in PROCEDURE_FIELDS:
        if name in changes:
            setattr(locked, name, changes[name])
    if reviewed_today:
        locked.last_reviewed = timezone.localdate()
    if locked.last_reviewed > timezone.localdate():
        raise ValidationError({"last_reviewed": _("The review date cannot be in the future.")})
    locked.full_clean(exclude=["entity", "themes", "slug"])
    locked._history_user = actor
    locked.save()
    return locked


def record_contact_access(case: Case, user) -> ContactAccess:
    """One viewing of a reporter's contact, for the access log supervisors and administrators read."""
    return ContactAccess.objects.create(case=case, user=user, entity_id=case.entity_id)
