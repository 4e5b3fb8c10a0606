from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from .models import Case, CaseEvent, Category, CategoryAttribute, NonWorkingDay


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


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    extra = 0
    can_delete = False
    fields = ["created_at", "kind", "public", "actor", "channel", "from_state", "to_state", "entity", "reason", "message"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        # Timeline lines are written by the lifecycle services only.
        return False


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    list_display = ["number", "category", "entity", "state", "channel", "created_at", "due_at"]
    list_filter = ["state", "channel"]
    search_fields = ["number"]
    # State and routing change only through the lifecycle (cases.services), never by editing the row.
    readonly_fields = ["number", "state", "entity", "category", "created_at", "updated_at", "resolved_at", "closed_at", "due_at"]
    exclude = ["tracking_token", "reporter_user", "assignee", "duplicate_of", "procedure", "district"]
    inlines = [CaseEventInline]

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
        return super().history_form_view(request, object_id, version_id, extra_context=extra_context)


@admin.register(NonWorkingDay)
class NonWorkingDayAdmin(admin.ModelAdmin):
    list_display = ["date", "name_es", "name_en"]
