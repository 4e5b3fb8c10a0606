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
from .models import Case, CaseContact, CaseEvent, Channel, RejectionReason, SdgAnswer, State, SurveyResponse
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
    "reassign": gettext_lazy("reassigned"),
    "change_category": gettext_lazy("moved to another category"),
    "moderate": gettext_lazy("moderated"),
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

    def __init__(self, message: str | None = None) -> None:
        super().__init__(
            message
            or _("This survey is not available: it was already answered, the case is not resolved, or the time to answer it has passed.")
        )


@transaction.atomic
def submit_survey(
    case: Case, satisfaction: int, solved: bool, comment: str = "", sdg: dict[str, int | None] | None = None
) -> SurveyResponse:
    """Record the answer. `sdg` holds the optional SDG 16.6.2 part: attribute -> 0 (don't know) .. 4, or None."""
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if not locked.can_be_surveyed():
        raise SurveyNotAvailable
    if not 1 <= int(satisfaction) <= 5:
        raise ValidationError({"satisfaction": _("Choose a value from 1 to 5.")})
    sdg = {key: value for key, value in (sdg or {}).items() if value is not None}
    unknown = set(sdg) - set(SurveyResponse.SDG_ATTRIBUTES)
    if unknown or any(value not in SdgAnswer.values for value in sdg.values()):
        raise ValidationError({"sdg": _("Choose one of the answers offered for each statement.")})
    response = SurveyResponse.objects.create(
        case=locked, satisfaction=satisfaction, solved=solved, comment=comment.strip(), **sdg
    )
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


# --- Back office (issue 7): reassign, change category, moderate, followers ------------------------

REASSIGNABLE_STATES = [State.ASSIGNED, State.IN_PROGRESS, State.WAITING_CITIZEN, State.REOPENED]


@transaction.atomic
def reassign(case: Case, actor: Actor, assignee) -> Case:
    """A case already held changes hands; its state stays. Raises InvalidTransition or ValidationError."""
    from .permissions import may_be_assigned

    locked = Case.objects.select_for_update(of=("self",)).select_related("category").get(pk=case.pk)
    if locked.state not in REASSIGNABLE_STATES:
        raise InvalidTransition(locked, "reassign")
    if not may_be_assigned(assignee, locked):
        raise ValidationError({"assignee": _("This person cannot hold the case: choose a member of the entity in charge.")})
    if assignee.pk == locked.assignee_id:
        raise ValidationError({"assignee": _("The case is already assigned to this person.")})
    previous = locked.assignee
    locked.assignee = assignee
    locked.save(update_fields=["assignee", "updated_at"])
    record_event(
        locked,
        CaseEvent.Kind.REASSIGNED,
        public=False,
        actor=actor.user,
        channel=actor.channel,
        from_state=locked.state,
        to_state=locked.state,
        entity=locked.entity,
        message=f"{previous.get_username() if previous else '—'} → {assignee.get_username()}",
    )
    case.refresh_from_db()
    return locked


def _recategorise(locked: Case, category) -> object:
    """Put the case in its new category, with the due date the new category's service level gives,
    counted from the case's receipt (the citizen waited from then, not from the correction). Returns
    the previous category. Used by the back office's change of category and by triage."""
    previous = locked.category
    locked.category = category
    locked.due_at = WorkCalendar().due_at(locked.created_at, category.sla_business_days)
    return previous


@transaction.atomic
def change_category(case: Case, actor: Actor, category, note: str = "") -> Case:
    """Move an open case to another category and route it again (cases.routing). When the new category
    belongs to another entity the case goes to that entity's intake, as a transfer does."""
    from .models import OPEN_STATES, Category

    locked = Case.objects.select_for_update(of=("self",)).select_related("category", "procedure__entity").get(pk=case.pk)
    if locked.state not in OPEN_STATES:
        raise InvalidTransition(locked, "change_category")
    if not isinstance(category, Category) or not category.active or category.pk == locked.category_id:
        raise ValidationError({"category": _("Choose another active category.")})
    if category.sensitive != locked.category.sensitive:
        raise ValidationError({"category": _("A case cannot move between sensitive and ordinary categories.")})
    previous_entity, from_state = locked.entity, locked.state
    decision = route_case(category, locked.district, procedure=locked.procedure)
    previous_category = _recategorise(locked, category)
    if decision.entity != previous_entity:
        locked.transfer(to_entity=decision.entity)  # the FSM transition: back to the new entity's intake
    locked.save()
    record_event(
        locked,
        CaseEvent.Kind.CATEGORY_CHANGED,
        public=False,
        actor=actor.user,
        channel=actor.channel,
        from_state=from_state,
        to_state=locked.state,
        entity=locked.entity,
        previous_entity=previous_entity if previous_entity != locked.entity else None,
        reason=decision.reason,
        message=" ".join(filter(None, [f"{previous_category.code} → {category.code}.", note.strip()])),
    )
    case.refresh_from_db()
    return locked


@transaction.atomic
def moderate(case: Case, actor: Actor, public_description: str, hide_attachments: Iterable[int] = (), note: str = "") -> Case:
    """Set what the public reads of the description (personal data redacted) and hide files from the
    public. The citizen's original text and files stay for staff."""
    from .models import Attachment

    locked = Case.objects.select_for_update().get(pk=case.pk)
    text = (public_description or "").strip()
    if not text:
        raise ValidationError({"public_description": _("Write the description as the public may read it.")})
    if len(text) > settings.CASE_DESCRIPTION_MAX_LENGTH:
        raise ValidationError(
            {"public_description": _("Keep it under %(max)d characters.") % {"max": settings.CASE_DESCRIPTION_MAX_LENGTH}}
        )
    hide = set(int(pk) for pk in hide_attachments)
    hidden = Attachment.objects.filter(case=locked, pk__in=hide, public=True).update(public=False) if hide else 0
    new_public = "" if text == locked.description.strip() else text
    if new_public == locked.public_description and not hidden:
        raise ValidationError({"public_description": _("Nothing changed: edit the text or choose a file to hide.")})
    locked.public_description = new_public
    locked.save(update_fields=["public_description", "updated_at"])
    summary = []
    if new_public:
        summary.append(_("Public description redacted."))
    if hidden:
        summary.append(_("%(count)d file(s) hidden from the public.") % {"count": hidden})
    record_event(
        locked,
        CaseEvent.Kind.MODERATED,
        public=False,
        actor=actor.user,
        channel=actor.channel,
        message=" ".join([*summary, note.strip()]).strip(),
    )
    case.refresh_from_db()
    return locked


@transaction.atomic
def amend_report(
    case: Case,
    actor: Actor,
    *,
    description: str | None = None,
    lat: float | None = None,
    lon: float | None = None,
    note: str = "",
) -> Case:
    """The report's own source corrects what it reported (a CAP Update from the sender that filed the
    case): the description and the point, whichever is given. The previous values stay in the case's
    history; the entity in charge stays (those working the case keep it when the point moves). One
    internal event with `note`. Raises ValidationError (nothing changed) for an empty or too long text or
    a point outside the territory."""
    from .validation import CaseErrors, NewCase, clean_location, clean_text

    errors = CaseErrors()
    locked = Case.objects.select_for_update().get(pk=case.pk)
    if description is not None:
        locked.description = clean_text(
            description, "description", errors, max_length=settings.CASE_DESCRIPTION_MAX_LENGTH, required=True
        )
    if lat is not None or lon is not None:
        locked.lat, locked.lon, district = clean_location(NewCase(category_code="", description="", lat=lat, lon=lon), errors)
        locked.district = district
    errors.raise_if_any()
    locked.save()
    record_event(locked, CaseEvent.Kind.COMMENT, public=False, actor=actor.user, channel=actor.channel, message=note.strip())
    case.refresh_from_db()
    return locked


def followers_of(case: Case):
    """The contacts that should hear about the case: its own reporter's and those of the cases rejected as
    its duplicates (the original's resolution reaches them too). Never anonymous ones or stopped ones."""
    # The merged cases first, by the duplicate_of index, then their contacts by case: one OR across the
    # join made PostgreSQL scan every contact and case (1.3 s per resolution at a million cases).
    merged = Case.objects.filter(
        duplicate_of=case, state=State.REJECTED, rejection_reason=RejectionReason.DUPLICATE
    ).values_list("pk", flat=True)
    return CaseContact.objects.filter(
        case_id__in=[case.pk, *merged],
        case__is_anonymous=False,
        messages_stopped_at__isnull=True,
    ).order_by("pk")


@transaction.atomic
def triage_route(case: Case, *, category, entity: Entity | None = None, actor: Actor) -> Case:
    """Recategorise a case from the 311 triage queue and send it to the entity that should work it.

    Without `entity` the new category's routing rule decides (as for a new case); a rule that still
    ends in triage is refused, since the point is to take the case out of it. The category change and
    the routing are recorded as two events (`change_category`, internal; `routed`, public). The due
    date follows the new category's service level, counted from the case's receipt. Raises
    ValidationError or InvalidTransition with nothing changed.
    """
    from .models import OPEN_STATES

    locked = Case.objects.select_for_update().get(pk=case.pk)
    if locked.state not in OPEN_STATES:
        raise InvalidTransition(locked, "transfer")
    if locked.entity_id is not None and not locked.entity.is_contact_center:
        raise ValidationError({"case": _("This case has already left the triage queue.")})
    if category is None or not category.active or category.sensitive:
        raise ValidationError({"category": _("Choose an active category.")})
    if entity is None:
        decision = route_case(category, locked.district, procedure=locked.procedure)
        if decision.entity is None or decision.entity.is_contact_center:
            raise ValidationError({"entity": _("No entity serves this category here: choose the entity.")})
        entity, reason = decision.entity, decision.reason
    else:
        if not entity.active or entity.is_contact_center:
            raise ValidationError({"entity": _("Choose another active entity.")})
        reason = "manual_transfer"
    previous_entity, from_state = locked.entity, locked.state
    previous_category = _recategorise(locked, category)
    locked.transfer(to_entity=entity)
    locked.save()
    if previous_category.pk != category.pk:
        record_event(
            locked,
            CaseEvent.Kind.CATEGORY_CHANGED,
            public=False,
            actor=actor.user,
            channel=actor.channel,
            message=f"{previous_category.code} → {category.code}",
        )
    record_event(
        locked,
        CaseEvent.Kind.ROUTED,
        public=True,
        actor=actor.user,
        channel=actor.channel,
        from_state=from_state,
        to_state=locked.state,
        entity=entity,
        previous_entity=previous_entity,
        reason=reason,
    )
    case.refresh_from_db()
    return locked
