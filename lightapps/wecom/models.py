from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lightapps.delivery import DeliveryRow


class Notification(DeliveryRow):
    """消息通知: one WeCom message about one work-order event to one person."""

    class Status(models.TextChoices):
        PENDING = "pending", _("待发送")
        SENDING = "sending", _("发送中")
        SENT = "sent", _("已发送")
        FAILED = "failed", _("发送失败")
        SKIPPED = "skipped", _("未发送")

    event = models.ForeignKey(
        "workorders.WorkOrderEvent", on_delete=models.CASCADE, related_name="notifications"
    )
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    msgid = models.CharField(_("消息ID"), max_length=64, blank=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "person"], name="notification_once")
        ]
        verbose_name = _("企业微信消息")
        verbose_name_plural = _("企业微信消息")

    def __str__(self) -> str:
        return f"{self.event} → {self.person}"


class WeComDepartment(models.Model):
    """通讯录部门: which org unit a WeCom department is (set by the sync or by hand)."""

    department_id = models.PositiveBigIntegerField(_("企业微信部门ID"), unique=True)
    org_unit = models.OneToOneField(
        "orgs.OrgUnit", on_delete=models.CASCADE, related_name="wecom_department"
    )
    name = models.CharField(_("部门名称"), max_length=100, blank=True)
    # True when the sync made the org unit (rather than linking one that already existed).
    created_by_sync = models.BooleanField(default=False)
    synced_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("企业微信部门")
        verbose_name_plural = _("企业微信部门")

    def __str__(self) -> str:
        return f"{self.department_id} → {self.org_unit}"


class SyncedMembership(models.Model):
    """A membership granted because of a WeCom department: the only ones the sync may revoke."""

    membership = models.OneToOneField(
        "orgs.Membership", on_delete=models.CASCADE, related_name="wecom_sync"
    )

    class Meta:
        verbose_name = _("通讯录同步的任职")
        verbose_name_plural = _("通讯录同步的任职")

    def __str__(self) -> str:
        return str(self.membership_id)
