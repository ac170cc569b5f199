from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from lightapps.workorders.tasks import send_notification

from .models import Notification, WeComDepartment


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
        failed = list(
            queryset.filter(status=Notification.Status.FAILED).values_list("pk", flat=True)
        )
        Notification.objects.filter(pk__in=failed).update(status=Notification.Status.PENDING)
        for pk in failed:
            send_notification.delay(pk)
        self.message_user(request, _("已重新排队 %d 条") % len(failed), messages.SUCCESS)


@admin.register(WeComDepartment)
class WeComDepartmentAdmin(admin.ModelAdmin):
    list_display = ["department_id", "name", "org_unit", "created_by_sync", "synced_at"]
    search_fields = ["name", "org_unit__name", "department_id"]
    raw_id_fields = ["org_unit"]
