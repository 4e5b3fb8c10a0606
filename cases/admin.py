"""The Django admin for cases: administrators READ cases, their timeline and survey answers here; nothing
about a case can be added, changed, reverted or deleted. Corrections happen as recorded events in the back
office (moderation, category change, reassignment), where `cases.services` writes them.

Categories and non-working days stay editable: they are configuration, not a citizen's record.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, CaseEvent, Category, CategoryAttribute, NonWorkingDay, RejectionReason, SurveyResponse
from .routing import REASONS


class CategoryAttributeInline(admin.TabularInline):
    model = CategoryAttribute
    extra = 0


@admin.register(Category)
class CategoryAdmin(SimpleHistoryAdmin):
    list_display = ["code", "name_es", "group_es", "owner", "municipal", "sla_business_days", "urgent", "sensitive", "public", "active"]
    list_filter = ["municipal", "urgent", "sensitive", "public", "active", "group_es"]
    search_fields = ["code", "name_es", "name_en"]
    autocomplete_fields = ["owner"]
    inlines = [CategoryAttributeInline]


class ReadOnlyAdminMixin:
    """Viewing only: no add, change or delete permission, whatever the user's flags."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.display(description=_("reason"))
def reason_label(event: CaseEvent) -> str:
    """The reason in the reader's language ("Sent to the municipality of the district…"), not its code."""
    if event.reason in REASONS:
        return str(REASONS[event.reason])
    if event.reason in RejectionReason.values:
        return str(RejectionReason(event.reason).label)
    return event.reason


class CaseEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "public", "actor", "channel", "from_state", "to_state", "entity", reason_label, "message"]
    readonly_fields = fields
    verbose_name = _("timeline event")
    verbose_name_plural = _("timeline (written by the lifecycle services only)")


class SurveyResponseInline(ReadOnlyAdminMixin, admin.StackedInline):
    model = SurveyResponse
    extra = 0
    can_delete = False
    fields = ["created_at", "satisfaction", "solved", "comment", *SurveyResponse.SDG_ATTRIBUTES]
    readonly_fields = fields


@admin.register(Case)
class CaseAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["number", "category", "entity", "state", "channel", "created_at", "due_at"]
    list_filter = ["state", "channel"]
    search_fields = ["number"]
    # Everything is shown read-only (no change permission); the secret token and the links to people
    # (reporter's account, assignee) are not shown at all. The reporter's contact is not in the admin.
    exclude = ["tracking_token", "reporter_user", "assignee"]
    inlines = [CaseEventInline, SurveyResponseInline]

    def get_queryset(self, request):
        # Even administrators see cases through the same scoping rule: sensitive cases stay with oversight.
        return Case.objects.visible_to(request.user).select_related("category", "entity")

    def _404_unless_visible(self, request, object_id) -> None:
        # SimpleHistoryAdmin's history pages read the historical table directly (falling back to the
        # latest record when get_queryset hides the case), which would show sensitive cases to admins.
        if self.get_object(request, unquote(object_id)) is None:
            raise Http404

    def history_view(self, request, object_id, extra_context=None):
        self._404_unless_visible(request, object_id)
        return super().history_view(request, object_id, extra_context=extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._404_unless_visible(request, object_id)
        # SimpleHistoryAdmin saves the historical version on POST (a "revert") without asking for the
        # change permission; a case's history is for reading only.
        if request.method != "GET":
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)

    def revert_disabled(self, request, obj=None) -> bool:
        return True


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name_es", "name_en"]
