"""Every change to an alert happens here: under the alert's row lock, checked against the version the
operator saw, driving the case through `cases.services` (so its timeline and the figures stay true),
and told to every board through `operations.push.publish` once the transaction commits.
"""

from __future__ import annotations

import contextvars
import hashlib
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_fsm import can_proceed

from cases import services as case_services
from cases.events import record_event
from cases.models import Case, CaseEvent, Category, Channel, RejectionReason, State
from cases.validation import NewCase
from entities.models import Entity
from entities.querysets import Roles

from .models import Alert, AlertSource, AlertState, CapMessage, Dispatch, DispatchState
from .push import publish
from .querysets import operates_board


class OperationError(Exception):
    """The step is not possible now; nothing was changed. The message is for the operator."""

    code = "not_allowed"


class StaleView(OperationError):
    code = "stale"


class ClaimedByOther(OperationError):
    code = "claimed"


# --- Intake --------------------------------------------------------------------------------------


@dataclass
class AlertDetails:
    """What an alert has beyond its case; `operations.receivers` reads it when the case is created."""

    severity: int | None = None
    exercise: bool = False
    source: str = AlertSource.CITIZEN
    people_affected: int | None = None
    cap_sender: str = ""
    cap_identifier: str = ""
    # CAP messages: the message's `sent` (recorded with it, so that later Updates and Cancels can
    # reference it) and its `urgency`.
    cap_sent: datetime | None = None
    cap_api_key: Any = None  # the sensor key (open311.ApiKey) the CAP message came with
    urgency: str = ""
    client_key: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)


_pending_details: contextvars.ContextVar[AlertDetails | None] = contextvars.ContextVar("alert_details", default=None)


def pending_details() -> AlertDetails | None:
    return _pending_details.get()


def default_severity(category: Category) -> int:
    return settings.OPERATIONS_CATEGORY_SEVERITY.get(category.code, settings.OPERATIONS_DEFAULT_SEVERITY)


def open_alert_for(case: Case, details: AlertDetails | None = None) -> Alert:
    """The alert of a new urgent case (called inside the intake transaction) and its board event."""
    details = details or AlertDetails()
    severity = details.severity or default_severity(case.category)
    alert = Alert.objects.create(
        case=case,
        severity=min(max(int(severity), 1), 5),
        exercise=details.exercise,
        source=details.source,
        people_affected=details.people_affected,
        urgency=details.urgency,
        cap_sender=details.cap_sender,
        cap_identifier=details.cap_identifier,
        client_key=details.client_key,
        created_at=case.created_at,
    )
    if details.source == AlertSource.CAP and details.cap_identifier:
        CapMessage.objects.create(
            alert=alert,
            sender=details.cap_sender,
            identifier=details.cap_identifier,
            sent=details.cap_sent,
            msg_type=CapMessage.Type.ALERT,
            received_at=case.created_at,
            api_key=details.cap_api_key,
        )
    publish(alert, "created")
    return alert


def file_alert(
    data: NewCase, details: AlertDetails, *, actor: case_services.Actor | None = None, photo=None, procedure=None
) -> Alert:
    """File an urgent case through the ordinary intake and give its alert these details.

    Raises ValidationError (nothing stored) for bad input or a category that is not urgent.
    """
    from django.core.exceptions import ValidationError

    from cases.attachments import store_upload

    urgent = alert_categories()
    token = _pending_details.set(details)
    try:
        with transaction.atomic():
            case = case_services.create_case(data, actor=actor, categories=urgent, procedure=procedure)
            if photo is not None:
                store_upload(case, photo, public=True)
    except ValidationError as error:
        if getattr(error, "error_dict", None) and "service_code" in error.error_dict:
            raise ValidationError({"service_code": _("Choose one of the urgent alert categories.")}) from error
        raise
    finally:
        _pending_details.reset(token)
    return Alert.objects.select_related("case__category").get(case=case)


def alert_categories():
    """The categories whose cases are alerts (`operations.receivers`): urgent, never sensitive."""
    return Category.objects.filter(active=True, urgent=True, sensitive=False)


def hash_client_key(raw: str) -> str:
    return hashlib.sha256(f"alerta\x00{raw}".encode()).hexdigest()


def file_alert_once(data: NewCase, details: AlertDetails, **kwargs) -> tuple[Alert, bool]:
    """`file_alert` for senders that retry (a phone's offline queue, CAP, sensors): the same client key
    or CAP sender + identifier files one alert. Returns (alert, created)."""
    existing = _existing(details)
    if existing is not None:
        return existing, False
    try:
        return file_alert(data, details, **kwargs), True
    except IntegrityError:
        # A concurrent retry won the unique constraint; its alert is the answer.
        existing = _existing(details)
        if existing is None:
            raise
        return existing, False


def _existing(details: AlertDetails) -> Alert | None:
    if details.client_key:
        return Alert.objects.select_related("case").filter(client_key=details.client_key).first()
    if details.cap_identifier:
        return (
            Alert.objects.select_related("case")
            .filter(cap_sender=details.cap_sender, cap_identifier=details.cap_identifier)
            .first()
        )
    return None


# --- Steps on the board ---------------------------------------------------------------------------


def _actor(user) -> case_services.Actor:
    from cases.models import Channel

    return case_services.Actor(user=user, channel=Channel.WEB)


def _lock(alert: Alert, version: int | None) -> Alert:
    locked = Alert.objects.select_for_update().select_related("case__category").get(pk=alert.pk)
    if version is not None and int(version) != locked.version:
        raise StaleView(
            _("Alert %(number)s changed since your board showed it; look at it again before acting.")
            % {"number": locked.case.number}
        )
    return locked


def _require_operator(user) -> None:
    if not operates_board(user):
        raise PermissionDenied


def _require_claim(alert: Alert, user, now) -> None:
    holder = alert.claim_holder(now)
    if holder is not None and holder.pk != user.pk:
        raise ClaimedByOther(
            _("%(name)s is handling alert %(number)s.") % {"name": holder.get_full_name() or holder.username, "number": alert.case.number}
        )


def _claim(alert: Alert, user, now) -> None:
    alert.claimed_by = user
    alert.claimed_until = now + timedelta(minutes=settings.OPERATIONS_CLAIM_MINUTES)


def _not_possible(alert: Alert) -> OperationError:
    return OperationError(
        _("Alert %(number)s cannot do that while it is %(state)s.")
        % {"number": alert.case.number, "state": alert.get_state_display().lower()}
    )


def _save(alert: Alert, kind: str) -> Alert:
    alert.version += 1
    alert.save()
    publish(alert, kind)
    return alert


def _drive_case(alert: Alert, action: str, user, actor: case_services.Actor | None = None, **kwargs) -> bool:
    """Move the case along with the alert; True when it moved. A case that staff already closed is left
    as it is; one still waiting in intake is assigned first (it cannot start or be resolved from there)."""
    case = Case.objects.get(pk=alert.case_id)
    if not case.is_open:
        return False
    actor = actor or _actor(user)
    if action in ("start", "resolve") and case.state == State.RECEIVED:
        case = case_services.transition(case, "assign", actor, assignee=user)
    if action == "resolve":
        case_services.resolve(case, actor, kwargs["message"])
    elif action == "reject":
        case_services.reject(
            case, kwargs["reason"], actor, message=kwargs.get("message", ""), duplicate_of=kwargs.get("duplicate_of")
        )
    elif can_proceed(getattr(case, action)):
        case_services.transition(case, action, actor, message=kwargs.get("message", ""), **kwargs.get("transition", {}))
    else:
        return False
    return True


def _note(alert: Alert, user, message: str) -> None:
    """An internal line on the case's timeline for an operations step that is not a case transition."""
    record_event(alert.case, CaseEvent.Kind.COMMENT, public=False, actor=user, channel=_actor(user).channel, message=message)


@transaction.atomic
def acknowledge(alert: Alert, user, version: int | None = None) -> Alert:
    """Claim a new alert: the others see who holds it until the claim expires."""
    _require_operator(user)
    now = timezone.now()
    alert = _lock(alert, version)
    if not can_proceed(alert.acknowledge):
        holder = alert.claim_holder(now)
        if holder is not None and holder.pk != user.pk:
            _require_claim(alert, user, now)
        raise _not_possible(alert)
    alert.acknowledge()
    _claim(alert, user, now)
    _drive_case(alert, "assign", user, transition={"assignee": user})
    return _save(alert, "acknowledged")


@transaction.atomic
def take_over(alert: Alert, user, version: int | None = None) -> Alert:
    """Claim an acknowledged alert whose claim has expired (or renew one's own)."""
    _require_operator(user)
    now = timezone.now()
    alert = _lock(alert, version)
    if not alert.is_open or alert.state == AlertState.NEW:
        raise _not_possible(alert)
    _require_claim(alert, user, now)
    _claim(alert, user, now)
    return _save(alert, "claimed")


def responding_agencies() -> Iterable[Entity]:
    return Entity.objects.filter(is_responding_agency=True, active=True).order_by("name")


@transaction.atomic
def dispatch(alert: Alert, user, agency_ids: list[int], note: str = "", version: int | None = None) -> Alert:
    """Send one or more responding agencies. Two operators sending the same agency at once send it once:
    the second one is told the alert changed."""
    _require_operator(user)
    now = timezone.now()
    alert = _lock(alert, version)
    if alert.state not in (AlertState.ACKNOWLEDGED, AlertState.DISPATCHED, AlertState.ON_SCENE):
        raise _not_possible(alert)
    _require_claim(alert, user, now)
    ids = {int(pk) for pk in agency_ids}
    agencies = list(responding_agencies().filter(pk__in=ids))
    if not ids or len(agencies) != len(ids):
        raise OperationError(_("Choose one or more responding agencies."))
    already = set(alert.dispatches.filter(agency_id__in=ids).values_list("agency_id", flat=True))
    if already:
        names = ", ".join(a.short_name for a in agencies if a.pk in already)
        raise OperationError(_("Already dispatched: %(agencies)s.") % {"agencies": names})
    note = (note or "").strip()[:2000]
    Dispatch.objects.bulk_create(
        [Dispatch(alert=alert, agency=agency, note=note, requested_by=user, requested_at=now, updated_at=now) for agency in agencies]
    )
    message = _("Dispatched to %(agencies)s.") % {"agencies": ", ".join(a.short_name for a in agencies)}
    if note:
        message = f"{message} {note}"
    started = False
    if alert.state == AlertState.ACKNOWLEDGED:
        alert.dispatch()
        started = _drive_case(alert, "start", user, message=message)
    if not started:
        _note(alert, user, message)
    _claim(alert, user, now)
    return _save(alert, "dispatched")


DISPATCH_ACTIONS = {"depart": "depart", "arrive": "arrive", "finish": "finish"}


@transaction.atomic
def update_dispatch(alert: Alert, agency_id: int, user, action: str, version: int | None = None) -> Alert:
    """An agency's response moves on (en route, on scene, done): its dispatchers or an operator."""
    roles = Roles.of(user)
    if not (operates_board(user) or int(agency_id) in roles.dispatcher_entities):
        raise PermissionDenied
    alert = _lock(alert, version)
    if not alert.is_open:
        raise _not_possible(alert)
    item = Dispatch.objects.select_for_update().filter(alert=alert, agency_id=agency_id).select_related("agency").first()
    if item is None or action not in DISPATCH_ACTIONS:
        raise OperationError(_("This agency was not dispatched to this alert."))
    method = getattr(item, DISPATCH_ACTIONS[action])
    if not can_proceed(method):
        raise OperationError(
            _("%(agency)s is already %(state)s.") % {"agency": item.agency.short_name, "state": item.get_state_display().lower()}
        )
    method()
    item.updated_at = timezone.now()
    item.save()
    _note(alert, user, _("%(agency)s: %(state)s.") % {"agency": item.agency.short_name, "state": item.get_state_display()})
    if item.state == DispatchState.ON_SCENE and can_proceed(alert.arrive):
        alert.arrive()
    return _save(alert, "dispatch_updated")


@transaction.atomic
def resolve(alert: Alert, user, outcome: str, version: int | None = None) -> Alert:
    _require_operator(user)
    now = timezone.now()
    outcome = (outcome or "").strip()
    if not outcome:
        raise OperationError(_("Write the outcome."))
    alert = _lock(alert, version)
    if not can_proceed(alert.resolve):
        raise _not_possible(alert)
    _require_claim(alert, user, now)
    alert.resolve(outcome)
    _drive_case(alert, "resolve", user, message=outcome)
    return _save(alert, "resolved")


FALSE_ALARM_REASONS = (RejectionReason.SPAM, RejectionReason.NOT_COMPETENT)


@transaction.atomic
def mark_false_alarm(alert: Alert, user, reason: str, note: str = "", version: int | None = None) -> Alert:
    _require_operator(user)
    now = timezone.now()
    if reason not in FALSE_ALARM_REASONS:
        raise OperationError(_("Choose why it is a false alarm."))
    alert = _lock(alert, version)
    if not can_proceed(alert.mark_false_alarm):
        raise _not_possible(alert)
    _require_claim(alert, user, now)
    alert.mark_false_alarm((note or "").strip())
    _drive_case(alert, "reject", user, reason=reason, message=(note or "").strip())
    return _save(alert, "false_alarm")


@transaction.atomic
def merge(alert: Alert, user, into_number: str, version: int | None = None) -> Alert:
    """One incident reported twice: this alert closes as a duplicate of the other."""
    _require_operator(user)
    now = timezone.now()
    target = (
        Alert.objects.visible_to(user).open().select_related("case").filter(case__number=(into_number or "").strip()).first()
    )
    if target is None or target.pk == alert.pk:
        raise OperationError(_("Give the number of another open alert."))
    alert = _lock(alert, version)
    if not can_proceed(alert.merge):
        raise _not_possible(alert)
    _require_claim(alert, user, now)
    alert.merge(target)
    _drive_case(
        alert, "reject", user, reason=RejectionReason.DUPLICATE, duplicate_of=target.case,
        message=_("Same incident as %(number)s.") % {"number": target.case.number},
    )
    _save(alert, "merged")
    publish(target, "merge_received")
    return alert


@transaction.atomic
def publish_to_feed(alert: Alert, user, message: str, version: int | None = None) -> Alert:
    """Publish the alert in the public CAP feed with a text written for the public."""
    _require_operator(user)
    message = (message or "").strip()
    if not message:
        raise OperationError(_("Write the message the public will read."))
    alert = _lock(alert, version)
    alert.public_message = message[:2000]
    alert.published_at = alert.published_at or timezone.now()
    return _save(alert, "published")


@transaction.atomic
def set_severity(alert: Alert, user, severity: int, version: int | None = None) -> Alert:
    _require_operator(user)
    if not 1 <= int(severity) <= 5:
        raise OperationError(_("Severity goes from 1 to 5."))
    alert = _lock(alert, version)
    if not alert.is_open:
        raise _not_possible(alert)
    alert.severity = int(severity)
    return _save(alert, "severity")


# --- CAP Update and Cancel (operations.cap reads and checks the message; the changes happen here) ---


@dataclass
class CapChange:
    """A CAP Update or Cancel from the sender of the alert it references. For an Update, what is None
    (or empty) stays as it is; for a Cancel, `note` is the sender's reason."""

    sender: str
    identifier: str
    sent: datetime | None
    severity: int | None = None
    urgency: str = ""
    description: str | None = None
    lat: float | None = None
    lon: float | None = None
    note: str = ""
    api_key: Any = None  # the sensor key the message came with


CAP_ACTOR = case_services.Actor(user=None, channel=Channel.SENSOR)


def find_cap_message(sender: str, identifier: str) -> CapMessage | None:
    """A CAP message we acted on (an alert's Alert, or an Update or Cancel applied to it), with its alert."""
    return CapMessage.objects.select_related("alert__case").filter(sender=sender, identifier=identifier).first()


def _record_cap_message(alert: Alert, change: CapChange, msg_type: str) -> bool:
    """Record the message (under the alert's row lock); False when it is already recorded — a retry, or a
    concurrent delivery that won the unique constraint: nothing more is done then."""
    if CapMessage.objects.filter(sender=change.sender, identifier=change.identifier).exists():
        return False
    try:
        with transaction.atomic():
            CapMessage.objects.create(
                alert=alert, sender=change.sender, identifier=change.identifier, sent=change.sent, msg_type=msg_type,
                api_key=change.api_key,
            )
    except IntegrityError:
        return False
    return True


def _closed_for_cap(alert: Alert, what: str) -> OperationError:
    return OperationError(
        _("Alert %(number)s is already closed (%(state)s): the %(what)s changes nothing. Send a new Alert message for a new incident.")
        % {"number": alert.case.number, "state": alert.get_state_display().lower(), "what": what}
    )


@transaction.atomic
def update_from_cap(alert: Alert, change: CapChange) -> tuple[Alert, bool]:
    """A CAP Update from the alert's sender: new severity, urgency, description and area. Recorded on the
    case's timeline (internal) and pushed to every board. Returns (alert, applied): not applied when the
    same message was already recorded. Raises OperationError for a closed alert and ValidationError for
    a text or point the case cannot take; nothing changes then."""
    alert = _lock(alert, None)
    if CapMessage.objects.filter(sender=change.sender, identifier=change.identifier).exists():
        return alert, False
    if not alert.is_open:
        raise _closed_for_cap(alert, "Update")
    if not _record_cap_message(alert, change, CapMessage.Type.UPDATE):
        return alert, False
    case = alert.case
    changes: list[str] = []
    severity = min(max(int(change.severity), 1), 5) if change.severity is not None else alert.severity
    text = unicodedata.normalize("NFC", (change.description or "").replace("\r\n", "\n")).strip()
    description = text if text and text != case.description else None
    moved = change.lat is not None and change.lon is not None and (change.lat, change.lon) != (case.lat, case.lon)
    with translation.override(settings.LANGUAGE_CODE):  # stored text: the site's language, not the sender's
        if severity != alert.severity:
            changes.append(_("severity %(old)d → %(new)d") % {"old": alert.severity, "new": severity})
        if change.urgency and change.urgency != alert.urgency:
            changes.append(_("urgency %(new)s") % {"new": change.urgency})
        if description is not None:
            changes.append(_("description updated"))
        if moved:
            changes.append(_("area moved to %(lat).4f, %(lon).4f") % {"lat": change.lat, "lon": change.lon})
        note = _("CAP Update %(identifier)s from %(sender)s: %(changes)s.") % {
            "identifier": change.identifier,
            "sender": change.sender,
            "changes": "; ".join(changes) if changes else _("nothing changed"),
        }
    alert.severity = severity
    alert.urgency = change.urgency or alert.urgency
    if description is not None or moved:
        case_services.amend_report(
            case,
            CAP_ACTOR,
            description=description,
            lat=change.lat if moved else None,
            lon=change.lon if moved else None,
            note=note,
        )
    else:
        record_event(case, CaseEvent.Kind.COMMENT, public=False, channel=CAP_ACTOR.channel, message=note)
    if changes:
        _save(alert, "cap_update")
    return alert, True


@transaction.atomic
def cancel_from_cap(alert: Alert, change: CapChange) -> tuple[Alert, bool]:
    """A CAP Cancel from the alert's sender: the alert ends as cancelled by its sender, with the reason;
    its case is resolved with that reason on the public timeline (the citizen's tracking and the figures
    say what happened). Returns (alert, applied) like `update_from_cap`; raises OperationError when the
    alert is already closed."""
    alert = _lock(alert, None)
    if CapMessage.objects.filter(sender=change.sender, identifier=change.identifier).exists():
        return alert, False
    if not can_proceed(alert.cancel):
        raise _closed_for_cap(alert, "Cancel")
    if not _record_cap_message(alert, change, CapMessage.Type.CANCEL):
        return alert, False
    with translation.override(settings.LANGUAGE_CODE):  # the public reads it: the site's language
        reason = (change.note or "").strip()[:2000] or _("no reason given")
        outcome = _("Cancelled by its sender (%(sender)s): %(reason)s") % {"sender": change.sender, "reason": reason}
    alert.cancel(outcome)
    _drive_case(alert, "resolve", None, actor=CAP_ACTOR, message=outcome)
    _save(alert, "cancelled")
    return alert, True
