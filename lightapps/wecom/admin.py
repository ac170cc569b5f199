from django.contrib import admin

from .models import WeComDepartment


@admin.register(WeComDepartment)
class WeComDepartmentAdmin(admin.ModelAdmin):
    list_display = ["department_id", "name", "org_unit", "created_by_sync", "synced_at"]
    search_fields = ["name", "org_unit__name", "department_id"]
    raw_id_fields = ["org_unit"]
