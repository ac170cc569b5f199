from django.contrib import admin

from .models import WorkOrder, WorkOrderEvent


class EventInline(admin.TabularInline):
    model = WorkOrderEvent
    extra = 0
    can_delete = False
    readonly_fields = ["actor", "action", "from_state", "to_state", "note", "created_at"]

    def has_add_permission(self, request, obj=None):
        return False  # every change goes through work_order_transition


@admin.register(WorkOrder)
class WorkOrderAdmin(admin.ModelAdmin):
    list_display = ["number", "title", "state", "org_unit", "assignee_unit", "due_at"]
    list_filter = ["state", "app"]
    search_fields = ["number", "title"]
    list_select_related = ["org_unit", "assignee_unit"]
    readonly_fields = [f.name for f in WorkOrder._meta.fields]
    inlines = [EventInline]
