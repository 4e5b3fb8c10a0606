"""Administrators issue and revoke integrators' keys here; the secret is shown once, never stored."""

from django.contrib import admin, messages
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import ApiKey, Submission


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "channel", "created_at", "revoked_at"]
    list_filter = ["channel", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "created_at", "revoked_at"]
    actions = ["revoke_keys"]

    def save_model(self, request, obj: ApiKey, form, change: bool) -> None:
        if not change:
            raw_key = obj.set_new_key()
            super().save_model(request, obj, form, change)
            messages.warning(
                request,
                _("The new key for %(name)s is %(key)s. Copy it now: it is not stored and will not be shown again.")
                % {"name": obj.name, "key": raw_key},
            )
            return
        super().save_model(request, obj, form, change)

    def has_delete_permission(self, request, obj=None) -> bool:
        # Keys that filed cases stay on record (Submission points at them); revoke instead.
        return False

    @admin.action(description=gettext_lazy("Revoke the selected keys"))
    def revoke_keys(self, request, queryset) -> None:
        for key in queryset:
            key.revoke()
        messages.success(request, _("%(count)d keys revoked.") % {"count": queryset.count()})


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["case", "api_key", "created_at"]
    list_filter = ["api_key"]
    search_fields = ["case__number"]
    fields = ["case", "api_key", "created_at", "media_url"]
    readonly_fields = fields

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
