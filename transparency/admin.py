"""Published months in the admin: read-only (a published month is never edited); the one action is
republication, which asks for the note and keeps the old revision."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .jobs import republish_month
from .models import PublishedMonth


@admin.register(PublishedMonth)
class PublishedMonthAdmin(admin.ModelAdmin):
    list_display = ("key", "revision", "is_current", "published_at", "ckan_published_at")
    list_filter = ("is_current", "year")
    exclude = ("national",)
    actions = ["republish"]

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "national"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return False

    @admin.action(description=gettext_lazy("Publish again as a new revision (keeps the old one)"))
    def republish(self, request: HttpRequest, queryset):
        months = list(queryset.filter(is_current=True))
        note = (request.POST.get("note") or "").strip()
        if "confirm" in request.POST:
            try:
                if not note:
                    raise ValidationError(_("Say why the month is published again."))
                for month in months:
                    republish_month(month.year, month.month, note)
            except ValidationError as exc:
                self.message_user(request, " ".join(exc.messages), messages.ERROR)
            else:
                self.message_user(request, _("%(count)d month(s) published again.") % {"count": len(months)}, messages.SUCCESS)
                return None
        return TemplateResponse(
            request,
            "admin/transparency/republish.html",
            {**self.admin_site.each_context(request), "months": months, "note": note,
             "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME, "opts": self.model._meta,
             "title": _("Publish again")},  # fmt: skip
        )
