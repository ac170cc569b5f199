from django.contrib import admin

from .models import LightApp, LightAppVersion


@admin.register(LightApp)
class LightAppAdmin(admin.ModelAdmin):
    list_display = ["name", "key", "owner_unit", "updated_at"]
    search_fields = ["name", "key"]
    list_select_related = ["owner_unit"]


@admin.register(LightAppVersion)
class LightAppVersionAdmin(admin.ModelAdmin):
    list_display = ["app", "number", "published_at", "published_by"]
    list_select_related = ["app", "published_by"]

    def has_change_permission(self, request, obj=None):
        return False  # published versions are immutable
