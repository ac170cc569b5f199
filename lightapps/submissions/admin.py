from django.contrib import admin

from .models import Attachment, Submission


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = ["id", "app", "reporter", "org_unit", "received_at"]
    list_select_related = ["app", "reporter", "org_unit"]
    list_filter = ["app"]

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Attachment)
class AttachmentAdmin(admin.ModelAdmin):
    list_display = ["id", "uploader", "submission", "size", "width", "height", "created_at"]
    list_select_related = ["uploader"]
