import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Submission(models.Model):
    """上报: one filled-in form. The id is made by the phone, so a resend is the same row."""

    id = models.UUIDField(primary_key=True)
    # No index of its own: submission_listed (migration 0003) leads with the app.
    app = models.ForeignKey(
        "definitions.LightApp", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    version = models.ForeignKey(
        "definitions.LightAppVersion", on_delete=models.PROTECT, related_name="submissions"
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="submissions"
    )
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    data = models.JSONField()
    latitude = models.FloatField(null=True, blank=True)
    longitude = models.FloatField(null=True, blank=True)
    accuracy = models.FloatField(null=True, blank=True)
    device_time = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Who may see the report (orgs.selectors.report_q), on the report itself so that no list
    # joins for it: where it lies (its work order's place, else the reporter's unit) and the
    # unit its order is assigned to ("" without). Written by report_submit and by the steps
    # that move the order (workorders.services), as the order's own copies are.
    place_path = models.CharField(max_length=255, default="")
    assignee_path = models.CharField(max_length=255, blank=True, default="")
    # Whether the report opened a work order (set by report_submit before the insert, with the
    # copies above): the map's reports without an order are then one range of a partial index
    # (migration 0006), not an anti-join over every report.
    has_work_order = models.BooleanField(default=False)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("上报")
        verbose_name_plural = _("上报")

    def __str__(self) -> str:
        return str(self.id)


def attachment_path(instance: "Attachment", filename: str) -> str:
    return f"attachments/{instance.created_at:%Y/%m}/{instance.id}.{instance.extension}"


class SubmissionTally(models.Model):
    """How many reports there are per (app, version, place's path, assigned unit's path), kept by
    the database itself (migration 0004's triggers, lightapps.tallies) in the report's own
    statement: 上报数据's count for a wide scope adds up these rows instead of counting a
    district's million reports (submissions.data.submissions_for_data_count_query). Never
    written by our code."""

    app = models.ForeignKey(
        "definitions.LightApp", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip
    version = models.ForeignKey(
        "definitions.LightAppVersion", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip
    place_path = models.CharField(max_length=255, default="")
    assignee_path = models.CharField(max_length=255, blank=True, default="")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["app", "version", "place_path", "assignee_path"],
                name="submission_tally_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.place_path} {self.assignee_path}: {self.n}"


class ReportDay(models.Model):
    """How many reports each place received per local day and app, kept by the database itself
    (migration 0005's triggers, lightapps.tallies) in the report's own statement: the figures'
    上报数 over whole days add up a row per place and day instead of counting a district's
    reports of a month (workorders.figures.report_rows). Never written by our code."""

    day = models.DateField()
    app = models.ForeignKey(
        "definitions.LightApp", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", db_index=False,
    )  # fmt: skip
    place_path = models.CharField(max_length=255, default="")
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            # Leading with the day: a period's rows are one range.
            models.UniqueConstraint(
                fields=["day", "app", "place_path"], name="submission_report_day_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.place_path}: {self.n}"


class Attachment(models.Model):
    """附件: an uploaded photo, checked and re-encoded, later bound to one submission."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="attachments"
    )
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    submission = models.ForeignKey(
        Submission, null=True, blank=True, on_delete=models.PROTECT, related_name="attachments"
    )
    file = models.FileField(upload_to=attachment_path, max_length=200)
    extension = models.CharField(max_length=8, default="jpg")
    content_type = models.CharField(max_length=50)
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64, db_index=True)
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    original_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at"]
        verbose_name = _("附件")
        verbose_name_plural = _("附件")

    def __str__(self) -> str:
        return self.original_name or str(self.id)
