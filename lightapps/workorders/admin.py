from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from lightapps.wecom.models import Notification

from .messages import notifications_resend
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


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    """Every WeCom message, with failures and their last error in plain sight."""

    list_display = ["event", "person", "status", "attempts", "last_error_short", "created_at",
                    "sent_at"]  # fmt: skip
    list_filter = ["status", "event__action"]
    search_fields = ["event__order__number", "person__username", "person__name", "last_error"]
    list_select_related = ["event__order", "person"]
    readonly_fields = [f.name for f in Notification._meta.fields]
    actions = ["resend"]

    @admin.display(description=_("最近错误"))
    def last_error_short(self, obj):
        return obj.last_error[:80]

    def has_add_permission(self, request):
        return False

    @admin.action(description=_("重新发送失败的消息"))
    def resend(self, request, queryset):
        count = notifications_resend(ids=list(queryset.values_list("pk", flat=True)))
        self.message_user(request, _("已重新排队 %d 条") % count, messages.SUCCESS)
