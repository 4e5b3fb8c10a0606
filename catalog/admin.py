from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import Procedure, Theme


@admin.register(Procedure)
class ProcedureAdmin(SimpleHistoryAdmin):
    list_display = ["name", "entity", "cost", "last_reviewed", "active"]
    list_filter = ["active", "themes", "entity"]
    search_fields = ["name", "slug", "summary"]
    filter_horizontal = ["themes"]
    autocomplete_fields = ["entity"]


@admin.register(Theme)
class ThemeAdmin(admin.ModelAdmin):
    list_display = ["code", "name_es", "name_en"]
