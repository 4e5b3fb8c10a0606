"""Administrators see every message with its state and the reason of its last failure, and can send
failed ones again."""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import services
from .models import Message


@admin.register(Message)
class MessageAdmin(admin.ModelAdmin):
    list_display = ("created_at", "kind", "channel", "status", "attempts", "case", "next_attempt_at", "short_error")
    list_filter = ("status", "channel", "kind")
    search_fields = ("case__number", "key")
    date_hierarchy = "created_at"
    actions = ["retry"]
    list_select_related = ("case",)
    readonly_fields = [field.name for field in Message._meta.fields]
    ordering = ("-created_at",)

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Read-only detail; the only change is the "retry" action.
        return request.method in ("GET", "HEAD") and super().has_change_permission(request, obj)

    @admin.display(description=_("last error"))
    def short_error(self, obj: Message) -> str:
        return (obj.last_error or "")[:80]

    @admin.action(description=_("Send the selected failed messages again"))
    def retry(self, request, queryset) -> None:
        count = services.retry(queryset)
        self.message_user(
            request,
            ngettext("%(count)d message will be sent again.", "%(count)d messages will be sent again.", count) % {"count": count},
            messages.SUCCESS,
        )
