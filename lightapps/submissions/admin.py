import json

from django.contrib import admin
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from .masking import answers_masked, mask_value
from .models import Attachment, Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    """Read-only; the answers and the GPS point shown masked (see masking): the admin never
    shows personal data in clear, nor edits it."""

    list_display = ["id", "app", "reporter", "org_unit", "received_at"]
    list_select_related = ["app", "reporter", "org_unit"]
    list_filter = ["app"]
    fields = ["id", "app", "version", "reporter", "org_unit", "answers", "place", "device_time",
              "received_at"]  # fmt: skip
    readonly_fields = fields

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("version")

    @admin.display(description=_("上报内容（已脱敏）"))
    def answers(self, obj):
        data = answers_masked(obj.version.schema, obj.version.ui, obj.data)
        return format_html("<pre>{}</pre>", json.dumps(data, ensure_ascii=False, indent=2))

    @admin.display(description=_("上报位置（已脱敏）"))
    def place(self, obj):
        if obj.latitude is None or obj.longitude is None:
            return "—"
        point = {"lat": obj.latitude, "lng": obj.longitude, "accuracy": obj.accuracy}
        return json.dumps(mask_value("location", point), ensure_ascii=False)

    def has_add_permission(self, request):
        return False  # reports come in through report_submit only

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["id", "uploader", "submission", "size", "width", "height", "created_at"]
    list_select_related = ["uploader"]
