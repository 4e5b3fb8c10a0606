"""The operations record of an urgent case (an alert), its dispatches to responding agencies, and the
log of everything the boards were told (`OpsEvent`), from which a reconnecting board catches up.

An alert keeps its case (number, category, entity, public timeline); this app adds the operations
life beside it. State changes happen only in `operations.services`, through the transitions below.
"""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from .querysets import AlertQuerySet, OpsEventQuerySet


class AlertState(models.TextChoices):
    NEW = "new", _("New")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    DISPATCHED = "dispatched", _("Dispatched")
    ON_SCENE = "on_scene", _("On scene")
    RESOLVED = "resolved", _("Resolved")
    FALSE_ALARM = "false_alarm", _("False alarm")
    MERGED = "merged", _("Merged")
    # Withdrawn by the CAP sender that raised it (msgType Cancel); see docs/decisions/operations.md.
    CANCELLED = "cancelled", _("Cancelled by its sender")


OPEN_ALERT_STATES = [AlertState.NEW, AlertState.ACKNOWLEDGED, AlertState.DISPATCHED, AlertState.ON_SCENE]
WORKED_STATES = [AlertState.ACKNOWLEDGED, AlertState.DISPATCHED, AlertState.ON_SCENE]


class AlertSource(models.TextChoices):
    CITIZEN = "citizen", _("Citizen")
    STAFF = "staff", _("Agency staff")
    SENSOR = "sensor", _("Sensor (JSON)")
    CAP = "cap", _("CAP message")


class CapUrgency(models.TextChoices):
    """CAP 1.2 `urgency`: how soon responsive action should be taken (the sender's word, kept as sent)."""

    IMMEDIATE = "Immediate", _("Immediate")
    EXPECTED = "Expected", _("Expected")
    FUTURE = "Future", _("Future")
    PAST = "Past", _("Past")
    UNKNOWN = "Unknown", _("Unknown urgency")


class Alert(models.Model):
    """The operations side of one urgent case."""

    case = models.OneToOneField("cases.Case", on_delete=models.CASCADE, related_name="alert")
    state = FSMField(_("state"), max_length=20, choices=AlertState.choices, default=AlertState.NEW)
    # 1 (minor) to 5 (extreme): orders the board and decides how soon an unacknowledged alert escalates.
    severity = models.PositiveSmallIntegerField(_("severity"), default=3)
    # A drill: every screen shows a watermark and every message a prefix.
    exercise = models.BooleanField(_("exercise"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=AlertSource.choices, default=AlertSource.CITIZEN)
    people_affected = models.PositiveIntegerField(_("people affected"), null=True, blank=True)
    # CAP messages only (Alert, then each Update): empty for alerts from people and simple sensors.
    urgency = models.CharField(_("urgency"), max_length=16, choices=CapUrgency.choices, blank=True)
    # Bumped by every change: an operator acting on an older view is told so and nothing changes.
    version = models.PositiveIntegerField(default=1)
    claimed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="claimed_alerts"
    )
    claimed_until = models.DateTimeField(null=True, blank=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="merged_alerts"
    )
    outcome = models.TextField(_("outcome"), blank=True)
    # Published in the public CAP feed (operators choose), with the text they wrote for the public.
    published_at = models.DateTimeField(null=True, blank=True)
    public_message = models.TextField(_("public message"), blank=True)
    # CAP intake: the same identifier from the same sender makes one alert.
    cap_sender = models.CharField(max_length=255, blank=True)
    cap_identifier = models.CharField(max_length=255, blank=True)
    # /alerta/: SHA-256 of the key the phone made, so that a queued alert sent twice is filed once.
    client_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    acknowledged_at = models.DateTimeField(null=True, blank=True)
    dispatched_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    # Set once when the alert escalated for want of acknowledgement.
    escalated_at = models.DateTimeField(null=True, blank=True)

    objects = AlertQuerySet.as_manager()

    class Meta:
        ordering = ["-severity", "-created_at", "-pk"]
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        indexes = [models.Index(fields=["state", "-severity", "-created_at"], name="alert_board")]
        constraints = [
            models.UniqueConstraint(
                fields=["cap_sender", "cap_identifier"], condition=~models.Q(cap_identifier=""), name="alert_unique_cap"
            ),
            models.CheckConstraint(condition=models.Q(severity__gte=1, severity__lte=5), name="alert_severity_1_5"),
        ]

    def __str__(self) -> str:
        return f"alert {self.case.number}"

    @property
    def number(self) -> str:
        return self.case.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_ALERT_STATES

    def claim_holder(self, now=None):
        """Who holds the claim now (None when nobody does or the claim has expired)."""
        now = now or timezone.now()
        if self.claimed_by_id and self.claimed_until and self.claimed_until > now:
            return self.claimed_by
        return None

    # --- Operations life. Called only by operations.services, which locks, saves and logs. ---

    @transition(field=state, source=AlertState.NEW, target=AlertState.ACKNOWLEDGED)
    def acknowledge(self) -> None:
        self.acknowledged_at = timezone.now()

    @transition(field=state, source=AlertState.ACKNOWLEDGED, target=AlertState.DISPATCHED)
    def dispatch(self) -> None:
        # More agencies may be sent later (from dispatched or on scene) without a change of state.
        self.dispatched_at = timezone.now()

    @transition(field=state, source=AlertState.DISPATCHED, target=AlertState.ON_SCENE)
    def arrive(self) -> None:
        pass

    @transition(field=state, source=WORKED_STATES, target=AlertState.RESOLVED)
    def resolve(self, outcome: str) -> None:
        self.outcome = outcome
        self.closed_at = timezone.now()

    @transition(field=state, source=OPEN_ALERT_STATES, target=AlertState.FALSE_ALARM)
    def mark_false_alarm(self, outcome: str) -> None:
        self.outcome = outcome
        self.closed_at = timezone.now()

    @transition(field=state, source=OPEN_ALERT_STATES, target=AlertState.MERGED)
    def merge(self, into: "Alert") -> None:
        self.merged_into = into
        self.closed_at = timezone.now()

    @transition(field=state, source=OPEN_ALERT_STATES, target=AlertState.CANCELLED)
    def cancel(self, outcome: str) -> None:
        self.outcome = outcome
        self.closed_at = timezone.now()


class DispatchState(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    EN_ROUTE = "en_route", _("En route")
    ON_SCENE = "on_scene", _("On scene")
    DONE = "done", _("Done")


class Dispatch(models.Model):
    """One responding agency sent to an alert, and how far its response has got."""

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="dispatches")
    agency = models.ForeignKey("entities.Entity", on_delete=models.PROTECT, related_name="dispatches")
    state = FSMField(_("response"), max_length=16, choices=DispatchState.choices, default=DispatchState.REQUESTED)
    note = models.TextField(_("note"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    # Set once when the agency had not responded in time (settings.OPERATIONS_DISPATCH_RESPONSE_MINUTES).
    escalated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "pk"]
        verbose_name = _("dispatch")
        verbose_name_plural = _("dispatches")
        constraints = [models.UniqueConstraint(fields=["alert", "agency"], name="dispatch_unique_agency")]

    def __str__(self) -> str:
        return f"{self.agency.short_name} → {self.alert_id}"

    @transition(field=state, source=DispatchState.REQUESTED, target=DispatchState.EN_ROUTE)
    def depart(self) -> None:
        pass

    @transition(field=state, source=[DispatchState.REQUESTED, DispatchState.EN_ROUTE], target=DispatchState.ON_SCENE)
    def arrive(self) -> None:
        pass

    @transition(
        field=state, source=[DispatchState.REQUESTED, DispatchState.EN_ROUTE, DispatchState.ON_SCENE], target=DispatchState.DONE
    )
    def finish(self) -> None:
        pass


class OpsSequence(models.Model):
    """The last sequence number handed to an OpsEvent. One row, incremented under its row lock, so that
    sequence order is commit order (an autoincrement id is not: a later id may commit first, and a
    board that saw it would never ask for the earlier one)."""

    name = models.CharField(max_length=16, primary_key=True)
    last = models.BigIntegerField(default=0)

    @classmethod
    def next(cls) -> int:
        # One statement, not a savepoint and three: every alert's intake holds this row's lock from here to
        # its commit, so the fewer round trips after it, the more alerts a second. UPDATE … RETURNING is
        # in PostgreSQL and in SQLite since 3.35.
        table = connection.ops.quote_name(cls._meta.db_table)
        sql = f"UPDATE {table} SET last = last + 1 WHERE name = %s RETURNING last"  # noqa: S608 - our own table name
        with connection.cursor() as cursor:
            cursor.execute(sql, ["ops"])
            row = cursor.fetchone()
        if row is None:
            with transaction.atomic():
                cls.objects.get_or_create(name="ops")
                cls.objects.filter(name="ops").update(last=F("last") + 1)
                return cls.objects.filter(name="ops").values_list("last", flat=True).get()
        return row[0]


class OpsEvent(models.Model):
    """What the boards were told, in order. A reconnecting board asks for the events after the last
    sequence it saw and gets them from here."""

    seq = models.BigIntegerField(unique=True)
    alert = models.ForeignKey(Alert, null=True, blank=True, on_delete=models.CASCADE, related_name="ops_events")
    kind = models.CharField(max_length=32)
    # The alert as the board shows it after this event (operations.snapshots), or the event's own data.
    payload = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)

    objects = OpsEventQuerySet.as_manager()

    class Meta:
        ordering = ["seq"]

    def __str__(self) -> str:
        return f"#{self.seq} {self.kind}"


class CapMessage(models.Model):
    """A CAP message the intake acted on: the Alert that opened an alert, then each Update and Cancel
    applied to it. Later messages name earlier ones by sender, identifier and sent time (CAP 1.2
    `references`); the same sender and identifier twice is the same message (answered as a duplicate)."""

    class Type(models.TextChoices):
        ALERT = "Alert", "Alert"
        UPDATE = "Update", "Update"
        CANCEL = "Cancel", "Cancel"

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="cap_messages")
    sender = models.CharField(max_length=255)
    identifier = models.CharField(max_length=255)
    # The message's own `sent`; empty for the alerts filed before messages were recorded.
    sent = models.DateTimeField(null=True, blank=True)
    msg_type = models.CharField(max_length=8, choices=Type.choices)
    received_at = models.DateTimeField(default=timezone.now)
    # The sensor key it came with. CAP's <sender> is only what the message says of itself: an Update or
    # Cancel must come with the key that sent the alert's first message, or any key could end any alert.
    api_key = models.ForeignKey(
        "open311.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("sensor key")
    )

    class Meta:
        ordering = ["received_at", "pk"]
        verbose_name = _("CAP message")
        verbose_name_plural = _("CAP messages")
        constraints = [models.UniqueConstraint(fields=["sender", "identifier"], name="cap_message_unique")]

    def __str__(self) -> str:
        return f"{self.msg_type} {self.sender},{self.identifier}"


class CapSender(models.Model):
    """A CAP sender whose messages must carry a valid XML signature made with this certificate."""

    sender = models.CharField(_("CAP sender"), max_length=255, unique=True)
    certificate = models.TextField(_("certificate (PEM)"))
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("CAP sender")
        verbose_name_plural = _("CAP senders")

    def __str__(self) -> str:
        return self.sender
