from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from .models import District, Entity, Membership, Province


@admin.register(Entity)
class EntityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "acronym", "kind", "parent", "district", "is_contact_center", "is_oversight", "active"]
    list_filter = ["kind", "active", "is_contact_center", "is_oversight"]
    search_fields = ["name", "acronym", "code"]
    autocomplete_fields = ["parent"]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "entity", "role", "created_at"]
    list_filter = ["role"]
    search_fields = ["user__username", "entity__name", "entity__acronym"]
    autocomplete_fields = ["entity"]


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["name", "province", "code"]
    list_filter = ["province"]
    search_fields = ["name"]
    exclude = ["geometry"]
