"""Everything that changes a case happens here, inside one transaction that also writes its event.

Callers (portal, Open311, REST API, back office, jobs) never set `state` or `entity` themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_fsm import TransitionNotAllowed, can_proceed

from entities.models import Entity

from .events import record_event, record_events
from .models import Case, CaseContact, CaseEvent, Channel, RejectionReason, State, SurveyResponse
from .routing import route_case
from .sla import WorkCalendar
from .validation import CleanCase, NewCase, validate_new_case


class InvalidTransition(Exception):
    """The requested change is not allowed from the case's current state. Nothing was changed."""

    def __init__(self, case: Case, action: str, message: str | None = None) -> None:
        self.case, self.action = case, action
        super().__init__(
            message
            or _("The case %(number)s cannot be %(action)s while it is %(state)s.")
            % {"number": case.number, "action": ACTION_LABELS.get(action, action), "state": case.get_state_display()}
        )


# Lazy: these are rendered when an error is raised, in the language of that request, not at import.
ACTION_LABELS = {
    "assign": gettext_lazy("assigned"),
    "start": gettext_lazy("started"),
    "request_info": gettext_lazy("put on hold for information"),
    "receive_reply": gettext_lazy("given a citizen's reply"),
    "resolve": gettext_lazy("resolved"),
    "close": gettext_lazy("closed"),
    "reject": gettext_lazy("rejected"),
    "reopen": gettext_lazy("reopened"),
    "transfer": gettext_lazy("transferred"),
}
# Events the citizen sees on the public timeline; the rest is internal work.
PUBLIC_ACTIONS = {"request_info", "receive_reply", "resolve", "close", "reject", "reopen", "transfer", "assign"}


@dataclass
class Actor:
    """Who acts and through which channel; `user` is None for the citizen or the system."""

    user: object | None = None
    channel: str = Channel.WEB


def contact_language(code: str | None) -> str:
    """The site language closest to what the channel sent ("en-US" -> "en"); the default otherwise.

    The column is short and the value comes from outside (Open311 `locale`, a browser header).
    """
    try:
        return get_supported_language_variant((code or "").lower().replace("_", "-"))
    except LookupError:
        return settings.LANGUAGE_CODE


@transaction.atomic
def create_case(
    data: NewCase,
    *,
    actor: Actor | None = None,
    categories=None,
    procedure=None,
    reporter_user=None,
    received_at=None,
) -> Case:
    """Validate, route, number and store a new case with its contact and first events.

    Raises ValidationError (nothing stored) when the input is not acceptable.
    """
    clean: CleanCase = validate_new_case(data, categories=categories)
    actor = actor or Actor(channel=clean.channel)
    decision = route_case(clean.category, clean.district, procedure=procedure)
    received_at = received_at or timezone.now()
    case = Case(
        category=clean.category,
        entity=decision.entity,
        channel=clean.channel,
        description=clean.description,
        lat=clean.lat,
        lon=clean.lon,
        address=clean.address,
        district=clean.district,
        attributes=clean.attributes,
        is_anonymous=clean.is_anonymous,
        reporter_user=None if clean.is_anonymous else reporter_user,
        procedure=procedure,
        created_at=received_at,
        due_at=WorkCalendar().due_at(received_at, clean.category.sla_business_days),
    )
    case.save()
    if clean.contact and not clean.is_anonymous:
        CaseContact.objects.create(
            case=case, language=contact_language(data.language), **clean.contact, **clean.notify
        )
    record_events(
        [
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.CREATED,
                public=True,
                actor=actor.user,
                channel=actor.channel,
                to_state=State.RECEIVED,
                created_at=received_at,
            ),
            CaseEvent(
                case=case,
                kind=CaseEvent.Kind.ROUTED,
                public=True,
                channel=actor.channel,
                entity=decision.entity,
                reason=decision.reason,
                created_at=received_at,
            ),
        ]
    )
    return case


@transaction.atomic
def transition(
    case: Case,
    action: str,
    actor: Actor,
    *,
    message: str = "",
    public: bool | None = None,
    **kwargs,
) -> Case:
    """Apply one lifecycle transition under a row lock and record it. Raises InvalidTransition."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    method = getattr(locked, action, None)
    if action not in ACTION_LABELS or method is None:
        raise InvalidTransition(locked, action)
    if not can_proceed(method, check_conditions=False):
        raise InvalidTransition(locked, action)
    if not can_proceed(method):
        # The state allows it but a condition does not; the only one is the reopen window, and saying
        # "while it is Resolved" would leave the citizen wondering why a resolved case cannot reopen.
        raise InvalidTransition(locked, action, _condition_message(locked, action))
    from_state, previous_entity = locked.state, locked.entity
    try:
        method(**kwargs)
    except TransitionNotAllowed as exc:  # a condition such as the reopen window failed
        raise InvalidTransition(locked, action) from exc
    locked.save()
    record_event(
        locked,
        action,
        public=(action in PUBLIC_ACTIONS) if public is None else public,
        actor=actor.user,
        channel=actor.channel,
        from_state=from_state,
        to_state=locked.state,
        entity=locked.entity,
        previous_entity=previous_entity if previous_entity != locked.entity else None,
        reason=kwargs.get("reason", "") if action == "reject" else ("manual_transfer" if action == "transfer" else ""),
        message=message,
    )
    case.refresh_from_db()
    return locked


def _condition_message(case: Case, action: str) -> str | None:
    if action == "reopen":
        return _(
            "The case %(number)s can no longer be reopened: cases can be reopened only within %(days)d days of "
            "their resolution. Please file a new report."
        ) % {"number": case.number, "days": settings.CASE_REOPEN_WINDOW_DAYS}
    return None


def transfer(case: Case, to_entity: Entity, actor: Actor, reason: str) -> Case:
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the case is transferred.")})
    if to_entity == case.entity or not to_entity.active:
        raise ValidationError({"entity": _("Choose another active entity.")})
    return transition(case, "transfer", actor, message=reason.strip(), to_entity=to_entity)


def reject(case: Case, reason: str, actor: Actor, message: str = "", duplicate_of: Case | None = None) -> Case:
    if reason not in RejectionReason.values:
        raise ValidationError({"reason": _("Choose a rejection reason.")})
    if reason == RejectionReason.DUPLICATE and (duplicate_of is None or duplicate_of.pk == case.pk):
        raise ValidationError({"duplicate_of": _("Say which case this one duplicates.")})
    return transition(case, "reject", actor, message=message, reason=reason, duplicate_of=duplicate_of)


def require_message(message: str, field_name: str = "message") -> str:
    if not (message or "").strip():
        raise ValidationError({field_name: _("Write a message for the citizen.")})
    return message.strip()


def request_info(case: Case, actor: Actor, question: str) -> Case:
    return transition(case, "request_info", actor, message=require_message(question))


def resolve(case: Case, actor: Actor, resolution: str) -> Case:
    return transition(case, "resolve", actor, message=require_message(resolution))


def citizen_reply(case: Case, reply: str, channel: str = Channel.WEB) -> Case:
    return transition(case, "receive_reply", Actor(channel=channel), message=require_message(reply, "reply"))


def citizen_reopen(case: Case, reason: str, channel: str = Channel.WEB) -> Case:
    return transition(case, "reopen", Actor(channel=channel), message=require_message(reason, "reason"))


def citizen_confirm_solved(case: Case, channel: str = Channel.WEB) -> Case:
    """The citizen confirms that the resolved case is solved: it closes. Besides the auto-close job after the
    reopen window, this is the only way a case closes (staff never close one: cases.permissions)."""
    return transition(case, "close", Actor(channel=channel))


@transaction.atomic
def add_comment(case: Case, actor: Actor, message: str, *, public: bool) -> CaseEvent:
    # A comment is news on the case: integrations polling `updated_after` must see it.
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    return record_event(
        case,
        CaseEvent.Kind.COMMENT,
        public=public,
        actor=actor.user,
        channel=actor.channel,
        message=require_message(message),
    )


class SurveyNotAvailable(Exception):
    """The case is not resolved yet, or its survey was already answered."""


@transaction.atomic
def submit_survey(case: Case, satisfaction: int, solved: bool, comment: str = "") -> SurveyResponse:
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.can_be_surveyed():
        raise SurveyNotAvailable(_("This survey is not available: it was already answered, the case is not resolved, or the time to answer it has passed."))
    if not 1 <= int(satisfaction) <= 5:
        raise ValidationError({"satisfaction": _("Choose a value from 1 to 5.")})
    response = SurveyResponse.objects.create(case=locked, satisfaction=satisfaction, solved=solved, comment=comment.strip())
    record_event(locked, CaseEvent.Kind.SURVEY, public=False, channel=Channel.WEB)
    return response


def recompute_due_dates(cases: Iterable[Case]) -> int:
    """After the calendar changes (a decreed non-working day), move the due dates of open cases."""
    calendar = WorkCalendar()
    changed = 0
    for case in cases:
        due = calendar.due_at(case.created_at, case.category.sla_business_days)
        if due != case.due_at:
            Case.objects.filter(pk=case.pk).update(due_at=due)
            changed += 1
    return changed
