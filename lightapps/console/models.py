"""The console's own rows: what a person keeps for themselves (saved filters)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class SavedFilter(models.Model):
    """我的筛选: a work-order list query a person named and keeps, theirs alone.

    Only the query is kept (normalised: known list parameters, no page); it is read again with
    the person's scope each time it is opened, so a saved filter never shows more than the
    person may see on that day.
    """

    person = models.ForeignKey(
        "orgs.Person", on_delete=models.CASCADE, related_name="saved_filters"
    )
    name = models.CharField(_("名称"), max_length=20)
    query = models.CharField(_("筛选条件"), max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["person", "name"]
        constraints = [
            models.UniqueConstraint(fields=["person", "name"], name="saved_filter_name_unique")
        ]

    def __str__(self) -> str:
        return self.name


def _export_path(job: "ExportJob", filename: str) -> str:
    return f"exports/{job.created_at:%Y/%m}/{job.pk}/{filename}"


class ExportJob(models.Model):
    """后台导出: an export too large for one request, written by a Celery task.

    The task reads the saved query with the person's scope when it runs, writes the file under
    MEDIA_ROOT/exports/, and counts its rows as it goes (the page shows the progress). Only the
    person who asked may download it, until `expires_at` (EXPORT_KEEP_HOURS); then beat deletes
    the file and the row.
    """

    class Kind(models.TextChoices):
        WORK_ORDERS = "work_orders", _("工单")
        DATA = "data", _("上报数据")

    class State(models.TextChoices):
        QUEUED = "queued", _("排队中")
        RUNNING = "running", _("导出中")
        DONE = "done", _("已完成")
        FAILED = "failed", _("失败")

    id = models.UUIDField(primary_key=True)
    person = models.ForeignKey("orgs.Person", on_delete=models.CASCADE, related_name="export_jobs")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    format = models.CharField(max_length=8)
    app_key = models.CharField(max_length=64, blank=True)
    query = models.CharField(max_length=2000, blank=True)
    base_url = models.CharField(max_length=200, blank=True)
    title = models.CharField(max_length=200)
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total = models.PositiveIntegerField(null=True)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=_export_path, max_length=300, blank=True)
    filename = models.CharField(max_length=200, blank=True)
    error = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField()
    started_at = models.DateTimeField(null=True)
    finished_at = models.DateTimeField(null=True)
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["person", "-created_at"], name="export_job_person_recent")]

    def __str__(self) -> str:
        return self.title
