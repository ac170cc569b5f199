from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrgUnit(models.Model):
    """组织: a node of the territorial tree (区-街镇-网格-居村) or a department (委办局)."""

    class Kind(models.TextChoices):
        CITY = "city", _("市")
        DISTRICT = "district", _("区")
        STREET = "street", _("街镇")
        GRID = "grid", _("网格")
        COMMUNITY = "community", _("居村")
        DEPARTMENT = "department", _("委办局")

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("层级"), max_length=20, choices=Kind.choices)
    code = models.CharField(_("编码"), max_length=40, unique=True)
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    # Materialized path of ids ("1/5/23/"): "under this unit" is one indexed prefix match.
    path = models.CharField(max_length=255, db_index=True, editable=False)
    depth = models.PositiveSmallIntegerField(default=0, editable=False)
    # GeoJSON Polygon of a grid, used for routing by location.
    boundary = models.JSONField(null=True, blank=True)
    sort = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["path"]
        verbose_name = _("组织")
        verbose_name_plural = _("组织")

    def __str__(self) -> str:
        return self.name


class Person(AbstractUser):
    """人员: a Django user with a WeCom userid; roles come from memberships."""

    name = models.CharField(_("姓名"), max_length=64, blank=True)
    wecom_userid = models.CharField(
        _("企业微信账号"), max_length=64, unique=True, null=True, blank=True
    )
    mobile = models.CharField(_("手机号"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("人员")
        verbose_name_plural = _("人员")

    def __str__(self) -> str:
        return self.name or self.username

    @property
    def display_name(self) -> str:
        return self.name or self.username


class Role(models.TextChoices):
    REPORTER = "reporter", _("网格员")
    HANDLER = "handler", _("处置人员")
    DISPATCHER = "dispatcher", _("派遣受理")
    SUPERVISOR = "supervisor", _("督办核查")
    DESIGNER = "designer", _("应用设计")
    ADMIN = "admin", _("管理员")


class Membership(models.Model):
    """任职: a person holds a role at an org unit, and so over everything under it."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="memberships")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("角色"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["person", "org_unit", "role"], name="membership_unique_role"
            )
        ]
        verbose_name = _("任职")
        verbose_name_plural = _("任职")

    def __str__(self) -> str:
        return f"{self.person} · {self.org_unit} · {self.get_role_display()}"


class ApiToken(models.Model):
    """API 令牌 of an integration acting as a person. Only the SHA-256 digest of the key is kept
    (the key is shown once, when issued); it expires, and can be revoked before that."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="api_tokens")
    digest = models.CharField(max_length=64, unique=True)
    prefix = models.CharField(_("前缀"), max_length=12)
    note = models.CharField(_("用途"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("签发时间"), auto_now_add=True)
    expires_at = models.DateTimeField(_("到期时间"))
    revoked_at = models.DateTimeField(_("吊销时间"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")

    def __str__(self) -> str:
        return f"{self.prefix}… ({self.person})"
