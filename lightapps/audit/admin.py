"""The audit log in the Django admin: to read and search, never to add, change or delete."""

from django.contrib import admin

from .models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_username", "action", "outcome", "object_type", "object_id", "ip")
    list_filter = ("action", "outcome")
    search_fields = ("actor_username", "object_id", "object_repr", "ip")
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
