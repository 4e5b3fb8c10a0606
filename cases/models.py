"""Categories (Open311 services), cases (Open311 requests), their timeline, attachments and surveys."""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from simple_history.models import HistoricalRecords

from . import numbering
from .querysets import CaseQuerySet, CategoryQuerySet, EventQuerySet


def localized(obj, field: str) -> str:
    """The `field_es` / `field_en` value in the active language, falling back to Spanish."""
    lang = (get_language() or settings.LANGUAGE_CODE)[:2]
    return getattr(obj, f"{field}_{lang}", "") or getattr(obj, f"{field}_{settings.LANGUAGE_CODE}", "")


class Category(models.Model):
    """A kind of report. Published as an Open311 service; decides owner, SLA and visibility."""

    code = models.CharField(_("code"), max_length=64, unique=True)
    group_es = models.CharField(_("group (Spanish)"), max_length=100)
    group_en = models.CharField(_("group (English)"), max_length=100)
    name_es = models.CharField(_("name (Spanish)"), max_length=150)
    name_en = models.CharField(_("name (English)"), max_length=150)
    description_es = models.TextField(_("description (Spanish)"), blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    keywords_es = models.CharField(_("keywords"), max_length=300, blank=True)
    owner = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="categories",
        verbose_name=_("owner entity"),
        help_text=_("For municipal categories, the fallback when no municipality serves the location."),
    )
    municipal = models.BooleanField(_("municipal"), default=False)
    sla_business_days = models.PositiveSmallIntegerField(_("service level (business days)"), default=10)
    urgent = models.BooleanField(_("urgent (operations board)"), default=False)
    sensitive = models.BooleanField(_("sensitive (oversight body only)"), default=False)
    anonymous_allowed = models.BooleanField(_("anonymous reports allowed"), default=False)
    public = models.BooleanField(
        _("listed"), default=True, help_text=_("Offered in the report form and as an Open311 service.")
    )
    active = models.BooleanField(_("active"), default=True)

    history = HistoricalRecords()
    objects = CategoryQuerySet.as_manager()

    class Meta:
        ordering = ["group_es", "name_es"]
        verbose_name = _("category")
        verbose_name_plural = _("categories")

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return localized(self, "name")

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def group(self) -> str:
        return localized(self, "group")


class CategoryAttribute(models.Model):
    """An extra question a category asks, typed as in Open311 GeoReport v2 service definitions."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLEVALUELIST = "singlevaluelist", _("One choice")
        MULTIVALUELIST = "multivaluelist", _("Several choices")

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="attributes")
    code = models.SlugField(_("code"), max_length=64)
    datatype = models.CharField(_("datatype"), max_length=20, choices=Datatype.choices)
    required = models.BooleanField(_("required"), default=False)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    description_es = models.CharField(_("question (Spanish)"), max_length=300)
    description_en = models.CharField(_("question (English)"), max_length=300)
    # [{"key": "...", "name_es": "...", "name_en": "..."}] for the list datatypes.
    values = models.JSONField(_("values"), default=list, blank=True)

    class Meta:
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="attribute_unique_code")]

    def __str__(self) -> str:
        return f"{self.category.code}.{self.code}"

    @property
    def description(self) -> str:
        return localized(self, "description")

    @property
    def is_list(self) -> bool:
        return self.datatype in {self.Datatype.SINGLEVALUELIST, self.Datatype.MULTIVALUELIST}

    def localized_values(self) -> list[tuple[str, str]]:
        lang = (get_language() or settings.LANGUAGE_CODE)[:2]
        return [(v["key"], v.get(f"name_{lang}") or v.get("name_es") or v["key"]) for v in self.values]


class CaseSequence(models.Model):
    """The last case number handed out in a year on SQLite (PostgreSQL uses a sequence per year, see
    cases/numbering.py). One row per year, incremented under the database's write lock."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    @classmethod
    def reserve(cls, year: int, count: int = 1) -> int:
        """Reserve `count` consecutive numbers; returns the first. Safe under concurrent callers.

        The UPDATE takes the row lock (PostgreSQL) or the write lock (SQLite) until the surrounding
        transaction commits, so no two transactions can read the same `last`.
        """
        with transaction.atomic():
            cls.objects.get_or_create(year=year)
            cls.objects.filter(year=year).update(last=F("last") + count)
            last = cls.objects.filter(year=year).values_list("last", flat=True).get()
        return last - count + 1


def new_tracking_token() -> str:
    # 24 random bytes = 192 bits, URL-safe; the only key an anonymous reporter holds.
    return secrets.token_urlsafe(24)


class State(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    WAITING_CITIZEN = "waiting_citizen", _("Waiting for the citizen")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")
    REJECTED = "rejected", _("Rejected")
    REOPENED = "reopened", _("Reopened")


OPEN_STATES = [State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS, State.WAITING_CITIZEN, State.REOPENED]
CLOSED_STATES = [State.RESOLVED, State.CLOSED, State.REJECTED]


class Channel(models.TextChoices):
    WEB = "web", _("Web")
    MOBILE = "mobile", _("Mobile app")
    PHONE = "phone", _("Phone (311 agent)")
    API = "api", _("API")
    EMAIL = "email", _("Email")
    SMS = "sms", _("SMS")
    WHATSAPP = "whatsapp", _("WhatsApp")
    SOCIAL = "social", _("Social media")
    IN_PERSON = "in_person", _("In person")
    SENSOR = "sensor", _("Sensor or other system")


# Channels a citizen uses without help; the published figures report their share (transparency/).
ONLINE_CHANNELS = [Channel.WEB, Channel.MOBILE, Channel.API, Channel.EMAIL, Channel.WHATSAPP, Channel.SOCIAL]
ASSISTED_CHANNELS = [Channel.PHONE, Channel.IN_PERSON, Channel.SMS]


class RejectionReason(models.TextChoices):
    DUPLICATE = "duplicate", _("Duplicate")
    NOT_COMPETENT = "not_competent", _("Not within our competence")
    SPAM = "spam", _("Spam or abuse")


class Case(models.Model):
    """A citizen's report (an Open311 service request), from receipt to closure."""

    number = models.CharField(_("number"), max_length=16, unique=True, editable=False)
    # The number's parts as integers (cases/numbering.py): cases sort by them, since "2026-1000000" sorts
    # before "2026-999999" as text.
    year = models.PositiveSmallIntegerField(_("year"), editable=False)
    sequence = models.PositiveIntegerField(_("sequence"), editable=False)
    tracking_token = models.CharField(max_length=64, unique=True, default=new_tracking_token, editable=False)
    # The composite indexes in Meta lead with category, entity and state, so these columns need no
    # single-column index of their own: each extra index costs every insert (see bench/README.md).
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="cases", verbose_name=_("category"), db_index=False
    )
    entity = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="cases",
        verbose_name=_("entity in charge"),
        db_index=False,
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assigned_cases",
        verbose_name=_("assignee"),
    )
    state = FSMField(_("state"), max_length=20, choices=State.choices, default=State.RECEIVED)
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, default=Channel.WEB)
    description = models.TextField(_("description"))
    # The description as the public sees it after moderation (personal data redacted); empty means the
    # citizen's own text is shown. The original stays in `description` for staff.
    public_description = models.TextField(_("public description (moderated)"), blank=True)
    lat = models.FloatField(_("latitude"), null=True, blank=True)
    lon = models.FloatField(_("longitude"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=300, blank=True)
    district = models.ForeignKey(
        "entities.District", null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("district")
    )
    attributes = models.JSONField(_("attributes"), default=dict, blank=True)
    is_anonymous = models.BooleanField(_("anonymous"), default=False)
    reporter_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reported_cases",
        verbose_name=_("reporter's account"),
    )
    procedure = models.ForeignKey(
        "catalog.Procedure",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="cases",
        verbose_name=_("procedure"),
    )
    rejection_reason = models.CharField(
        _("rejection reason"), max_length=20, choices=RejectionReason.choices, blank=True
    )
    duplicate_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="duplicates",
        verbose_name=_("duplicate of"),
    )
    due_at = models.DateTimeField(_("due"), null=True, blank=True)
    created_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(_("resolved"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    # Imported history (legacy 311 systems): where the record came from and its id there. Empty for
    # cases filed in Ventanilla; the published figures mark imported cases.
    source = models.CharField(_("source system"), max_length=32, blank=True)
    source_id = models.CharField(_("id in the source system"), max_length=64, blank=True)

    history = HistoricalRecords(excluded_fields=["tracking_token", "updated_at", "year", "sequence"])
    objects = CaseQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        indexes = [
            models.Index(fields=["entity", "state", "-created_at"], name="case_queue"),
            models.Index(fields=["category", "-created_at"], name="case_category"),
            models.Index(fields=["state", "due_at"], name="case_due"),
            # The back-office queue (backoffice/queue.py): an entity's open cases by due date or age, read
            # page by page with a keyset on (key, id). Partial: closed cases never enter them.
            models.Index(fields=["entity", "due_at", "id"], name="case_open_due", condition=models.Q(state__in=OPEN_STATES)),
            models.Index(fields=["entity", "created_at", "id"], name="case_open_age", condition=models.Q(state__in=OPEN_STATES)),
            # The queue filtered by category (a team that works one kind of problem): its capped state counts
            # and its pages read this directly instead of visiting every open case of the entity (the SQL of
            # page 50 of one category's cases went from 163 to 49 ms with 100,000 open; bench/backoffice.py).
            models.Index(
                fields=["entity", "category", "state", "created_at", "id"],
                name="case_open_category",
                condition=models.Q(state__in=OPEN_STATES),
            ),
            # The published figures (transparency/figures.py): a month's resolutions, and rejected cases by
            # when they were closed. Partial, so intake never writes them (a new case has neither).
            models.Index(fields=["resolved_at"], name="case_resolved_at", condition=models.Q(resolved_at__isnull=False)),
            models.Index(fields=["rejection_reason", "closed_at"], name="case_rejected_closed", condition=~models.Q(rejection_reason="")),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "source_id"], condition=~models.Q(source=""), name="case_unique_source_id"
            ),
            models.UniqueConstraint(fields=["year", "sequence"], name="case_year_sequence"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args, **kwargs) -> None:
        if not self.number:
            self.year = timezone.localtime(self.created_at, timezone.get_default_timezone()).year
            self.sequence = numbering.next_sequence(self.year)
            self.number = numbering.format_number(self.year, self.sequence)
        elif self.sequence is None and (parts := numbering.parse_number(self.number)):
            self.year, self.sequence = parts
        self.updated_at = timezone.now()
        super().save(*args, **kwargs)

    @staticmethod
    def format_number(year: int, sequence: int) -> str:
        return numbering.format_number(year, sequence)

    @property
    def public_text(self) -> str:
        """The description every public page, export and Open311 answer shows."""
        return self.public_description or self.description

    @property
    def is_imported(self) -> bool:
        return bool(self.source)

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    @property
    def is_overdue(self) -> bool:
        return bool(self.due_at and self.is_open and self.due_at < timezone.now())

    def service_level(self, now=None, calendar=None):
        """On track / due soon / overdue (cases.sla.service_level, the one rule for every face)."""
        from .sla import service_level

        return service_level(
            self.due_at, is_open=self.is_open, now=now, calendar=calendar, resolved_at=self.resolved_at
        )

    def within_reopen_window(self) -> bool:
        if self.resolved_at is None:
            return False
        return timezone.now() <= self.resolved_at + timedelta(days=settings.CASE_REOPEN_WINDOW_DAYS)

    def can_be_surveyed(self) -> bool:
        return (
            self.state in (State.RESOLVED, State.CLOSED)
            and self.resolved_at is not None
            # An answer given months later says little about the service the citizen received.
            and timezone.now() <= self.resolved_at + timedelta(days=settings.SURVEY_WINDOW_DAYS)
            and not SurveyResponse.objects.filter(case=self).exists()
        )

    # --- Lifecycle. Call these through cases.services.transition(), which locks, saves and logs. ---

    @transition(field=state, source=[State.RECEIVED, State.REOPENED], target=State.ASSIGNED)
    def assign(self, assignee=None) -> None:
        self.assignee = assignee

    @transition(field=state, source=[State.ASSIGNED, State.REOPENED], target=State.IN_PROGRESS)
    def start(self) -> None:
        pass

    @transition(field=state, source=[State.ASSIGNED, State.IN_PROGRESS, State.REOPENED], target=State.WAITING_CITIZEN)
    def request_info(self) -> None:
        pass

    @transition(field=state, source=[State.WAITING_CITIZEN], target=State.IN_PROGRESS)
    def receive_reply(self) -> None:
        pass

    @transition(
        field=state,
        source=[State.ASSIGNED, State.IN_PROGRESS, State.WAITING_CITIZEN, State.REOPENED],
        target=State.RESOLVED,
    )
    def resolve(self) -> None:
        self.resolved_at = timezone.now()

    @transition(field=state, source=[State.RESOLVED], target=State.CLOSED)
    def close(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=OPEN_STATES, target=State.REJECTED)
    def reject(self, reason: str, duplicate_of: "Case | None" = None) -> None:
        self.rejection_reason = reason
        self.duplicate_of = duplicate_of
        self.closed_at = timezone.now()

    @transition(field=state, source=[State.RESOLVED, State.CLOSED], target=State.REOPENED, conditions=[within_reopen_window])
    def reopen(self) -> None:
        self.closed_at = None

    @transition(
        field=state,
        source=[State.RECEIVED, State.ASSIGNED, State.IN_PROGRESS, State.WAITING_CITIZEN, State.REOPENED],
        target=State.RECEIVED,
    )
    def transfer(self, to_entity) -> None:
        # The receiving entity starts from its own intake: the case waits in its queue unassigned.
        self.entity = to_entity
        self.assignee = None


class CaseContact(models.Model):
    """The reporter's personal data, kept apart from the case so that it cannot leak with it.

    Never created for anonymous cases. Nothing here appears in public pages, exports, Open311 or logs.
    """

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="contact")
    name = models.CharField(_("name"), max_length=150, blank=True)
    email = models.EmailField(_("email"), blank=True)
    phone = models.CharField(_("phone"), max_length=32, blank=True)
    national_id = models.CharField(_("national ID (cédula)"), max_length=32, blank=True)
    # Normalised copies (cases/contact.py), indexed: the agent console finds a caller's cases by them and
    # inbound text messages are matched on phone_normalized.
    phone_normalized = models.CharField(max_length=20, blank=True, db_index=True, editable=False)
    national_id_normalized = models.CharField(max_length=32, blank=True, db_index=True, editable=False)
    language = models.CharField(max_length=8, default="es")
    # How the citizen wants to hear about the case (notifications/). E-mail needs an address and SMS or
    # WhatsApp a phone; a preference without its address is ignored.
    notify_email = models.BooleanField(_("by e-mail"), default=True)
    notify_sms = models.BooleanField(_("by SMS"), default=False)
    notify_whatsapp = models.BooleanField(_("by WhatsApp"), default=False)
    # Set when the citizen unsubscribes (link or "BAJA" reply): no more messages about this case.
    messages_stopped_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("reporter contact")
        verbose_name_plural = _("reporter contacts")

    def save(self, *args, **kwargs) -> None:
        from .contact import normalize_national_id, normalize_phone

        self.phone_normalized = normalize_phone(self.phone)
        self.national_id_normalized = normalize_national_id(self.national_id)
        super().save(*args, **kwargs)

    def __str__(self) -> str:
        return f"contact of {self.case.number}"


class CaseEvent(models.Model):
    """One line of a case's timeline. Public events are what the citizen sees."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Received")
        ROUTED = "routed", _("Routed")
        ASSIGNED = "assign", _("Assigned")
        STARTED = "start", _("Work started")
        INFO_REQUESTED = "request_info", _("Information requested")
        CITIZEN_REPLIED = "receive_reply", _("Citizen replied")
        RESOLVED = "resolve", _("Resolved")
        CLOSED = "close", _("Closed")
        REJECTED = "reject", _("Rejected")
        REOPENED = "reopen", _("Reopened")
        TRANSFERRED = "transfer", _("Transferred")
        COMMENT = "comment", _("Comment")
        SURVEY = "survey", _("Survey answered")
        REASSIGNED = "reassign", _("Reassigned")
        CATEGORY_CHANGED = "change_category", _("Category changed")
        MODERATED = "moderate", _("Moderated")

    # Covered by the (case, created_at) timeline index.
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events", db_index=False)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    public = models.BooleanField(_("public"), default=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, verbose_name=_("actor")
    )
    channel = models.CharField(_("channel"), max_length=16, choices=Channel.choices, blank=True)
    from_state = models.CharField(_("from state"), max_length=20, choices=State.choices, blank=True)
    to_state = models.CharField(_("to state"), max_length=20, choices=State.choices, blank=True)
    entity = models.ForeignKey(
        "entities.Entity", null=True, blank=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("entity")
    )
    previous_entity = models.ForeignKey(
        "entities.Entity",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("previous entity"),
    )
    # A machine-readable reason (routing rule, rejection reason) rendered in the reader's language.
    reason = models.CharField(_("reason"), max_length=40, blank=True)
    message = models.TextField(_("message"), blank=True)
    created_at = models.DateTimeField(_("at"), default=timezone.now)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("timeline event")
        verbose_name_plural = _("timeline events")
        indexes = [
            models.Index(fields=["case", "created_at"], name="event_timeline"),
            # The published figures count a month's reopenings and transfers; only those rows are indexed.
            models.Index(fields=["created_at"], condition=models.Q(kind__in=["reopen", "transfer"]), name="event_reopen_transfer"),
        ]

    def __str__(self) -> str:
        # What the admin's timeline shows in each row's first cell: the case and what happened, in the
        # reader's language (never the stored code). The admin's inline gives every row its case.
        return f"{self.case.number} · {self.get_kind_display()}"


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The stored name is random: a citizen's file name may itself carry personal data.
    ext = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"attachments/{timezone.now():%Y/%m}/{secrets.token_hex(16)}.{ext}"


class Attachment(models.Model):
    """A photo or document. Served only through views that check the case's visibility."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(CaseEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="attachments")
    file = models.FileField(upload_to=attachment_path)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    public = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class SdgAnswer(models.IntegerChoices):
    DONT_KNOW = 0, _("Don't know / does not apply")
    STRONGLY_DISAGREE = 1, _("Strongly disagree")
    DISAGREE = 2, _("Disagree")
    AGREE = 3, _("Agree")
    STRONGLY_AGREE = 4, _("Strongly agree")


SDG_SCALE = SdgAnswer.choices


class SurveyResponse(models.Model):
    """The citizen's satisfaction with a resolved case; one per case (SDG 16.6.2)."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="survey")
    satisfaction = models.PositiveSmallIntegerField(_("satisfaction (1-5)"))
    solved = models.BooleanField(_("was the problem solved?"))
    comment = models.TextField(_("comment"), blank=True, max_length=2000)
    # The optional SDG 16.6.2 part (UN methodology): five attributes on a 4-point agree/disagree scale
    # with no neutral option. None = not answered; DONT_KNOW is recorded but left out of the shares.
    accessibility = models.PositiveSmallIntegerField(_("accessibility"), null=True, blank=True, choices=SDG_SCALE)
    affordability = models.PositiveSmallIntegerField(_("affordability"), null=True, blank=True, choices=SDG_SCALE)
    equal_treatment = models.PositiveSmallIntegerField(_("equal treatment"), null=True, blank=True, choices=SDG_SCALE)
    effective_delivery = models.PositiveSmallIntegerField(
        _("effective delivery"), null=True, blank=True, choices=SDG_SCALE
    )
    timeliness = models.PositiveSmallIntegerField(_("timeliness"), null=True, blank=True, choices=SDG_SCALE)
    created_at = models.DateTimeField(_("answered at"), default=timezone.now)

    SDG_ATTRIBUTES = ("accessibility", "affordability", "equal_treatment", "effective_delivery", "timeliness")

    class Meta:
        verbose_name = _("survey answer")
        verbose_name_plural = _("survey answers")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5), name="survey_satisfaction_1_5"
            )
        ]

    def __str__(self) -> str:
        return self.case.number  # the admin's "Survey answer: 2026-000001", not "SurveyResponse object (1)"


class NonWorkingDay(models.Model):
    """A day public offices do not work beyond the official holiday list (decreed days, bridges)."""

    date = models.DateField(_("date"), unique=True)
    name_es = models.CharField(_("name (Spanish)"), max_length=120)
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("non-working day")
        verbose_name_plural = _("non-working days")

    def __str__(self) -> str:
        return f"{self.date} {self.name_es}"
