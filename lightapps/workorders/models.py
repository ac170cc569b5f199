from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from lightapps.delivery import DeliveryRow


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
    # Denormalized from org_unit so that scoping is one indexed prefix match (its index, with
    # what the counters read, is migration 0009's workorder_scope_place).
    org_path = models.CharField(max_length=255)
    state = models.CharField(_("状态"), max_length=20, db_index=True)
    # One more with every step (work_order_transition): what an actor saw, self-loops included.
    version = models.PositiveIntegerField(_("版本"), default=1)
    assignee_unit = models.ForeignKey(
        "orgs.OrgUnit", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    # Denormalized like org_path (assignee_unit's path, written with it by work_order_open and
    # work_order_transition), and the reporter from the submission, so that who may see an order
    # (orgs.selectors.work_order_q) is decided on this one table, each way from its own covering
    # index: migration 0009 makes them, without a write lock on PostgreSQL (lightapps.indexes).
    assignee_path = models.CharField(max_length=255, blank=True, default="")
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_index=False,
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
    # 搜索: the report's text answers and choice labels as the console shows them, personal
    # kinds (身份证、手机、位置: masked everywhere) left out, so a search finds by what is
    # written (地址、楼宇、隐患描述) and is never an oracle on masked data. Written at 上报
    # (workorders.titles.work_order_search_text).
    search_text = models.TextField(blank=True, default="")
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
    # Indexed with the id and what a list's scope reads: migration 0010's workorder_created.
    created_at = models.DateTimeField(auto_now_add=True)
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
    # The outbox mark (workorders.outbox): written with the step, in its transaction, and cleared
    # once its side effects (live update, WeCom messages, webhook deliveries) are recorded.
    effects_pending = models.BooleanField(default=True)
    # The order's scope when the step is written — its place's and its assigned unit's paths, its
    # app — so that a unit's steps over a period (the figures) are read from the step's own
    # indexes (migration 0013), with no join to the orders. save() copies them from the order;
    # work_order_transition moves every step of an order whose assigned unit changes.
    org_path = models.CharField(max_length=255, default="")
    assignee_path = models.CharField(max_length=255, blank=True, default="")
    app = models.ForeignKey(
        "definitions.LightApp", null=True, on_delete=models.PROTECT, related_name="+",
        db_index=False,
    )  # fmt: skip

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(effects_pending=True),
                name="event_effects_pending",
            )
        ]
        verbose_name = _("工单事件")
        verbose_name_plural = _("工单事件")

    def __str__(self) -> str:
        return f"{self.order} {self.action}"

    def save(self, *args, **kwargs):
        if self._state.adding and not self.org_path and self.order_id is not None:
            order = self.order  # the instance the step was created with: no query
            self.org_path, self.assignee_path = order.org_path, order.assignee_path
            self.app_id = order.app_id
        super().save(*args, **kwargs)


class WorkOrderCounter(models.Model):
    """Per-day sequence for human numbers (GD + yyyymmdd + 4 digits)."""

    day = models.DateField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.day}: {self.last}"


class Webhook(models.Model):
    """Webhook (应接尽接): another system told of work-order events by a signed POST.

    Registered by an admin (Django admin → 工单 → Webhook). It hears the events of `events` for
    the orders seen at `org_unit` (its place or its assigned unit under that unit; empty: every
    order). Deliveries: WebhookDelivery, through the outbox (workorders.webhooks).
    """

    class Event(models.TextChoices):
        REPORT = "report.created", _("新上报（生成工单）")
        STEP = "work_order.step", _("工单每一步办理")
        DUE_SOON = "work_order.due_soon", _("即将超时")
        OVERDUE = "work_order.overdue", _("已超时")
        ESCALATED = "work_order.escalated", _("超时升级督办")

    name = models.CharField(_("名称"), max_length=100)
    url = models.URLField(_("接收地址"), max_length=500)
    # The HMAC-SHA256 key of the signature; the receiver keeps the same string.
    secret = models.CharField(_("签名密钥"), max_length=128)
    events = models.JSONField(_("订阅的事件"), default=list)
    org_unit = models.ForeignKey(
        "orgs.OrgUnit",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("范围（组织）"),
    )
    is_active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name", "id"]
        verbose_name = _("Webhook")
        verbose_name_plural = _("Webhook")

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(DeliveryRow):
    """One POST of one event to one webhook, sent at least once and identified by `delivery_id`
    (the same on every try, so the receiver drops repeats)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        DELIVERED = "delivered", _("已送达")
        FAILED = "failed", _("发送失败")

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.ForeignKey(WorkOrderEvent, on_delete=models.CASCADE, related_name="+")
    delivery_id = models.UUIDField(_("投递ID"), unique=True)
    event_type = models.CharField(_("事件"), max_length=40)
    # The body as first built: every retry sends the same bytes.
    body = models.TextField()
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    response_status = models.PositiveSmallIntegerField(_("响应状态码"), null=True, blank=True)
    delivered_at = models.DateTimeField(_("送达时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["webhook", "event"], name="webhook_delivery_once")
        ]
        verbose_name = _("Webhook 投递")
        verbose_name_plural = _("Webhook 投递")

    def __str__(self) -> str:
        return f"{self.webhook} ← {self.event_type} {self.delivery_id}"


class WorkOrderTally(models.Model):
    """How many orders there are per (place's path, assigned unit's path, app, state), kept by
    the database itself: migration 0014's triggers add and take one on every insert, delete and
    change of those columns of an order, in the order's own statement. So the console's counters
    for a wide scope (a district's million orders) add up a few thousand of these rows instead
    of counting the orders (workorders.selectors.work_order_state_count_query). Never written by
    our code."""

    org_path = models.CharField(max_length=255)
    assignee_path = models.CharField(max_length=255, blank=True, default="")
    app = models.ForeignKey(
        "definitions.LightApp", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+",
    )  # fmt: skip
    state = models.CharField(max_length=20)
    n = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["org_path", "assignee_path", "app", "state"], name="workorder_tally_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.org_path} {self.assignee_path} {self.state}: {self.n}"


class StepDay(models.Model):
    """The figures' step counts per local day, unit, app and state left, kept by the database
    itself (migration 0015's triggers, lightapps.workorders.step_days): a step adds its 处置,
    按期处置, 返工 and time in its state to the row of its day for every unit whose subtree
    holds its order's place or assigned unit (each unit once, as the figures count an order),
    and a reassignment moves them. So a unit's figures over whole days add up a row per day,
    app and state, whatever the number of steps (workorders.figures). Never written by our
    code."""

    unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.DO_NOTHING, db_constraint=False, related_name="+",
        db_index=False,
    )  # fmt: skip
    day = models.DateField()
    app = models.ForeignKey(
        "definitions.LightApp", on_delete=models.DO_NOTHING, db_constraint=False,
        related_name="+", db_index=False,
    )  # fmt: skip
    from_state = models.CharField(max_length=20, blank=True)
    handled = models.IntegerField(default=0)
    handled_on_time = models.IntegerField(default=0)
    reworked = models.IntegerField(default=0)
    steps = models.IntegerField(default=0)
    seconds = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            # Leading with the unit and the day: a unit's days of a period are one range.
            models.UniqueConstraint(
                fields=["unit", "day", "app", "from_state"], name="workorder_step_day_key"
            )
        ]

    def __str__(self) -> str:
        return f"{self.unit_id} {self.day} {self.from_state}"
