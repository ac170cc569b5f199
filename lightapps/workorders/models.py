from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class WorkOrder(models.Model):
    """工单: a submission that needs action, running its flow's closed loop."""

    class Priority(models.TextChoices):
        NORMAL = "normal", _("一般")
        URGENT = "urgent", _("紧急")

    number = models.CharField(_("工单号"), max_length=20, unique=True)
    app = models.ForeignKey("definitions.LightApp", on_delete=models.PROTECT, related_name="+")
    submission = models.OneToOneField(
        "submissions.Submission", on_delete=models.PROTECT, related_name="work_order"
    )
    # Where the problem is: decides who may see and act on the order.
    org_unit = models.ForeignKey("orgs.OrgUnit", on_delete=models.PROTECT, related_name="+")
    # Denormalized from org_unit so that scoping is one indexed prefix match.
    org_path = models.CharField(max_length=255, db_index=True)
    state = models.CharField(_("状态"), max_length=20, db_index=True)
    # One more with every step (work_order_transition): what an actor saw, self-loops included.
    version = models.PositiveIntegerField(_("版本"), default=1)
    assignee_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_work_orders",
    )
    priority = models.CharField(max_length=10, choices=Priority.choices, default="normal")
    title = models.CharField(_("标题"), max_length=200)
    due_at = models.DateTimeField(_("办理时限"), null=True, blank=True)
    # How due_at is counted: working time (工作时) or calendar time (紧急, 自然时).
    clock = models.CharField(max_length=10, default="work")
    # 挂起: the time that was left when the clock stopped; due_at is None meanwhile.
    paused_seconds = models.IntegerField(null=True, blank=True)
    # The deadline a 即将超时 / 已超时 step was written for: the escalation runs idempotently.
    due_soon_for = models.DateTimeField(null=True, blank=True)
    overdue_for = models.DateTimeField(null=True, blank=True)
    escalated_to = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_orders"
    )
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["due_at"], name="workorder_open_due", condition=Q(closed_at__isnull=True)
            )
        ]
        verbose_name = _("工单")
        verbose_name_plural = _("工单")

    def __str__(self) -> str:
        return self.number


class WorkOrderEvent(models.Model):
    """工单事件: one step of a work order; the audit trail and the timeline are these rows."""

    order = models.ForeignKey(WorkOrder, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    action = models.CharField(max_length=30)
    from_state = models.CharField(max_length=20, blank=True)
    to_state = models.CharField(max_length=20)
    note = models.TextField(blank=True)
    assignee_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # What else the step carried: target unit, extension, photos, merged order.
    data = models.JSONField(default=dict, blank=True)
    # The deadline in force when the step was taken (按期处置: handled before it).
    due_at = models.DateTimeField(null=True, blank=True)
    # Seconds since the order's previous step: time spent in from_state.
    step_seconds = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")

    def __str__(self) -> str:
        return f"{self.order} {self.action}"


class WorkOrderCounter(models.Model):
    """Per-day sequence for human numbers (GD + yyyymmdd + 4 digits)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"
