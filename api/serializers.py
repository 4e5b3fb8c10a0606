"""What the API returns. Codes and numbers identify things (never database ids); labels follow the
request's language (Accept-Language); personal data appears only where `permissions.sees_contact` allows."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django_fsm import can_proceed
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from cases.models import Attachment, Case, CaseContact, CaseEvent, Category, CategoryAttribute, Channel, RejectionReason, State
from cases.routing import REASONS
from catalog.models import Procedure
from entities.models import Entity
from operations.models import Alert, AlertSource, AlertState, CapUrgency

from . import permissions

# The lifecycle actions the API offers, in the order a case usually goes through them.
ACTIONS = ["assign", "start", "request_info", "resolve", "close", "reject", "reopen", "transfer"]


def _viewer(serializer: serializers.Serializer):
    request = serializer.context.get("request")
    return getattr(request, "user", None)


class OptionalChoiceField(serializers.ChoiceField):
    """A choice that may be unset, given as null rather than an empty string."""

    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return None if value in ("", None) else super().to_representation(value)


class OptionalURLField(serializers.URLField):
    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


class OptionalEmailField(serializers.EmailField):
    def __init__(self, **kwargs):
        super().__init__(allow_null=True, read_only=True, **kwargs)

    def to_representation(self, value):
        return value or None


class ContactSerializer(serializers.ModelSerializer):
    email = OptionalEmailField()

    class Meta:
        model = CaseContact
        fields = ["name", "email", "phone", "national_id", "language"]
        read_only_fields = fields


# One line of a case list. Never personal data. (Comments, not docstrings, on serializers: drf-spectacular
# would publish a docstring untranslated as the schema's description.)
class CaseSummarySerializer(serializers.ModelSerializer):

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    category_name = serializers.CharField(source="category.name", read_only=True)
    entity = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    assignee = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="is_overdue", read_only=True)

    class Meta:
        model = Case
        fields = [
            "number",
            "state",
            "state_label",
            "category",
            "category_name",
            "entity",
            "channel",
            "district",
            "address",
            "assignee",
            "created_at",
            "updated_at",
            "due_at",
            "overdue",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_assignee(self, case: Case) -> str | None:
        # Who works a case is back-office information; a reporter reading their own case does not get names.
        if case.assignee is None or not permissions.is_back_office(_viewer(self)):
            return None
        return case.assignee.get_username()


class AttachmentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = Attachment
        fields = ["content_type", "size", "public", "created_at", "url"]
        read_only_fields = fields

    def get_url(self, attachment: Attachment) -> str:
        path = reverse("backoffice:attachment", kwargs={"pk": attachment.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


# The operations record of an urgent case (its alert on the operations board).
class AlertSerializer(serializers.ModelSerializer):
    state = serializers.ChoiceField(choices=AlertState.choices, read_only=True)
    state_label = serializers.CharField(source="get_state_display", read_only=True)
    source = serializers.ChoiceField(choices=AlertSource.choices, read_only=True)
    urgency = OptionalChoiceField(choices=CapUrgency.choices)
    merged_into = serializers.SerializerMethodField()

    class Meta:
        model = Alert
        fields = [
            "state",
            "state_label",
            "severity",
            "people_affected",
            "exercise",
            "source",
            "urgency",
            "merged_into",
            "created_at",
            "closed_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_merged_into(self, alert: Alert) -> str | None:
        return alert.merged_into.case.number if alert.merged_into_id else None


ALERT_HELP = _(
    "Urgent cases only: the alert on the operations board (severity 1-5, people affected, exercise flag). "
    "Null for other cases, and for viewers outside the back office."
)


def _alert_of(serializer: serializers.Serializer, case: Case) -> dict | None:
    alert = Alert.objects.select_related("merged_into__case").filter(case=case).first()
    if alert is None or not permissions.sees_alert(_viewer(serializer), case):
        return None
    return AlertSerializer(alert, context=serializer.context).data


class CaseDetailSerializer(CaseSummarySerializer):
    duplicate_of = serializers.SlugRelatedField(slug_field="number", read_only=True, allow_null=True)
    procedure = serializers.SlugRelatedField(slug_field="slug", read_only=True, allow_null=True)
    rejection_reason = OptionalChoiceField(choices=RejectionReason.choices)
    contact = serializers.SerializerMethodField()
    available_actions = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    alert = serializers.SerializerMethodField()

    class Meta(CaseSummarySerializer.Meta):
        fields = CaseSummarySerializer.Meta.fields + [
            "description",
            "lat",
            "lon",
            "attributes",
            "is_anonymous",
            "procedure",
            "rejection_reason",
            "duplicate_of",
            "resolved_at",
            "closed_at",
            "contact",
            "available_actions",
            "attachments",
            "alert",
        ]
        read_only_fields = fields

    @extend_schema_field(AlertSerializer(allow_null=True, help_text=ALERT_HELP))
    def get_alert(self, case: Case) -> dict | None:
        return _alert_of(self, case)

    @extend_schema_field(AttachmentSerializer(many=True))
    def get_attachments(self, case: Case) -> list[dict]:
        # Files open through the back office's attachment view, which checks visible_to() again.
        return AttachmentSerializer(case.attachments.all(), many=True, context=self.context).data

    @extend_schema_field(
        ContactSerializer(
            allow_null=True,
            help_text=_("The reporter's contact details, or null: anonymous report, none given, or not for you."),
        )
    )
    def get_contact(self, case: Case) -> dict | None:
        if not permissions.sees_contact(_viewer(self), case):
            return None
        contact = CaseContact.objects.filter(case=case).first()
        return ContactSerializer(contact).data if contact else None

    @extend_schema_field(
        serializers.ListField(
            child=serializers.ChoiceField(choices=ACTIONS),
            help_text=_("The transitions you may apply now (POST them to the case's transitions/)."),
        )
    )
    def get_available_actions(self, case: Case) -> list[str]:
        viewer = _viewer(self)
        if not permissions.works_case(viewer, case):
            return []
        return [
            action
            for action in ACTIONS
            if permissions.may_apply(viewer, case, action) and can_proceed(getattr(case, action))
        ]


# The answer to filing a case: what the reporter must be told (number and tracking key).
class CaseCreatedSerializer(serializers.ModelSerializer):

    category = serializers.SlugRelatedField(slug_field="code", read_only=True)
    entity = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    alert = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["number", "tracking_token", "state", "category", "entity", "channel", "created_at", "due_at", "alert"]
        read_only_fields = fields

    @extend_schema_field(AlertSerializer(allow_null=True, help_text=ALERT_HELP))
    def get_alert(self, case: Case) -> dict | None:
        return _alert_of(self, case)


class EventSerializer(serializers.ModelSerializer):
    kind_label = serializers.CharField(source="get_kind_display", read_only=True)
    actor = serializers.SerializerMethodField()
    entity = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    previous_entity = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    channel = OptionalChoiceField(choices=Channel.choices)
    from_state = OptionalChoiceField(choices=State.choices)
    to_state = OptionalChoiceField(choices=State.choices)
    reason_label = serializers.SerializerMethodField()

    class Meta:
        model = CaseEvent
        fields = [
            "id",
            "kind",
            "kind_label",
            "public",
            "actor",
            "channel",
            "from_state",
            "to_state",
            "entity",
            "previous_entity",
            "reason",
            "reason_label",
            "message",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.CharField(allow_null=True))
    def get_actor(self, event: CaseEvent) -> str | None:
        if event.actor is None or not permissions.is_back_office(_viewer(self)):
            return None
        return event.actor.get_username()

    def get_reason_label(self, event: CaseEvent) -> str:
        if event.reason in REASONS:
            return str(REASONS[event.reason])
        if event.reason in RejectionReason.values:
            return str(RejectionReason(event.reason).label)
        return ""


class AttributeValueSerializer(serializers.Serializer):
    key = serializers.CharField()
    name = serializers.CharField()


class AttributeSerializer(serializers.ModelSerializer):
    description = serializers.CharField(read_only=True)
    values = serializers.SerializerMethodField()

    class Meta:
        model = CategoryAttribute
        fields = ["code", "datatype", "required", "order", "description", "values"]
        read_only_fields = fields

    @extend_schema_field(AttributeValueSerializer(many=True))
    def get_values(self, attribute: CategoryAttribute) -> list[dict]:
        return [{"key": key, "name": name} for key, name in attribute.localized_values()]


class CategorySerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    group = serializers.CharField(read_only=True)
    description = serializers.CharField(read_only=True)
    owner = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    attributes = serializers.SerializerMethodField()

    class Meta:
        model = Category
        fields = [
            "code",
            "name",
            "group",
            "description",
            "owner",
            "municipal",
            "sla_business_days",
            "urgent",
            "sensitive",
            "anonymous_allowed",
            "attributes",
        ]
        read_only_fields = fields

    @extend_schema_field(
        AttributeSerializer(
            many=True,
            allow_null=True,
            help_text=_("The questions a new case must answer; for back-office users (null for others)."),
        )
    )
    def get_attributes(self, category: Category) -> list[dict] | None:
        if not permissions.is_back_office(_viewer(self)):
            return None
        return AttributeSerializer(category.attributes.all(), many=True).data


class EntitySerializer(serializers.ModelSerializer):
    parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    district = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)
    website = OptionalURLField()
    email = OptionalEmailField()

    class Meta:
        model = Entity
        fields = [
            "code",
            "name",
            "acronym",
            "kind",
            "parent",
            "website",
            "phone",
            "email",
            "district",
            "is_contact_center",
            "is_oversight",
        ]
        read_only_fields = fields


class ProcedureSummarySerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="localized_name", read_only=True)
    summary = serializers.CharField(source="localized_summary", read_only=True)
    entity = serializers.SlugRelatedField(slug_field="code", read_only=True)
    themes = serializers.SlugRelatedField(slug_field="code", read_only=True, many=True)
    review_overdue = serializers.BooleanField(read_only=True)
    online_url = OptionalURLField()

    class Meta:
        model = Procedure
        fields = [
            "slug",
            "name",
            "summary",
            "entity",
            "themes",
            "cost",
            "duration",
            "online_url",
            "last_reviewed",
            "review_overdue",
        ]
        read_only_fields = fields


class ProcedureDetailSerializer(ProcedureSummarySerializer):
    requirements = serializers.JSONField(read_only=True)
    documents = serializers.JSONField(read_only=True)
    steps = serializers.JSONField(read_only=True)
    offices = serializers.JSONField(read_only=True)
    keywords = serializers.JSONField(read_only=True)
    source_url = OptionalURLField()

    class Meta(ProcedureSummarySerializer.Meta):
        fields = ProcedureSummarySerializer.Meta.fields + [
            "who_may_apply",
            "requirements",
            "documents",
            "steps",
            "cost_notes",
            "offices",
            "phone",
            "legal_basis",
            "keywords",
            "source_url",
            "updated_at",
        ]
        read_only_fields = fields


class ProcedureSearchSerializer(serializers.Serializer):
    results = ProcedureSummarySerializer(many=True)


# DRF's error shape: a human-readable `detail`.
class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ConflictSerializer(ErrorSerializer):
    code = serializers.CharField()
    action = serializers.CharField(required=False)
    state = serializers.ChoiceField(choices=State.choices, required=False)

