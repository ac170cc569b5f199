"""审计日志: one append-only table of security events (等保三级 安全审计).

An entry names who (the person's id and username as they were, no foreign key: deleting a person
changes no entry), when, from where (address, user agent, request id), what (an action code),
on which object, the outcome and the details. Entries are only ever added: saving an existing
entry, a queryset update or delete, and deleting an entry all raise; on PostgreSQL a trigger
refuses UPDATE, and DELETE of entries younger than the legal minimum, whoever asks. Only the
retention pass (`audit_prune`) removes entries, and only those older than AUDIT_RETENTION_DAYS.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditImmutable(Exception):
    """An attempt to change or delete an audit entry."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AuditImmutable("audit entries cannot be changed")

    def delete(self):
        raise AuditImmutable("audit entries cannot be deleted")

    def _prune(self) -> int:
        """The retention pass alone: delete these entries (see services.audit_prune)."""
        return super().delete()[0]


class Outcome(models.TextChoices):
    SUCCESS = "success", _("成功")
    FAILURE = "failure", _("失败")
    DENIED = "denied", _("拒绝")


class AuditEntry(models.Model):
    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor_id = models.BigIntegerField(_("操作人编号"), null=True, blank=True, db_index=True)
    actor_username = models.CharField(_("操作人"), max_length=150, blank=True)
    ip = models.GenericIPAddressField(_("地址"), null=True, blank=True)
    user_agent = models.CharField(_("客户端"), max_length=300, blank=True)
    request_id = models.CharField(_("请求编号"), max_length=64, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    object_type = models.CharField(_("对象类型"), max_length=64, blank=True)
    object_id = models.CharField(_("对象编号"), max_length=64, blank=True)
    object_repr = models.CharField(_("对象"), max_length=200, blank=True)
    outcome = models.CharField(
        _("结果"), max_length=16, choices=Outcome.choices, default=Outcome.SUCCESS
    )
    details = models.JSONField(_("详情"), default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="audit_object")]
        verbose_name = _("审计记录")
        verbose_name_plural = _("审计日志")
        default_permissions = ("view",)

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M:%S} {self.actor_username or '-'} {self.action}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AuditImmutable("audit entries cannot be changed")
        kwargs.pop("force_update", None)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditImmutable("audit entries cannot be deleted")
