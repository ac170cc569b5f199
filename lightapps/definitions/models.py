from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from lightapps.definitions.fields import OrderedJSONField


class LightApp(models.Model):
    """轻应用: one editable draft (schema, ui, flow) and numbered published versions."""

    key = models.SlugField(_("标识"), max_length=64, unique=True)
    name = models.CharField(_("名称"), max_length=100)
    description = models.TextField(_("说明"), blank=True)
    owner_unit = models.ForeignKey(
        "orgs.OrgUnit", on_delete=models.PROTECT, related_name="light_apps"
    )
    draft_schema = OrderedJSONField(default=dict)
    draft_ui = OrderedJSONField(default=dict)
    draft_flow = OrderedJSONField(default=dict)
    # 草稿修订号: bumped by every save; a save naming an older one is refused (draft_conflict).
    draft_revision = models.PositiveIntegerField(_("草稿修订号"), default=1)
    draft_saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("最后修改人"),
    )
    # 停用: a disabled app is gone from phones and refuses new reports; its data and orders stay.
    disabled_at = models.DateTimeField(_("停用时间"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("创建人"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("轻应用")
        verbose_name_plural = _("轻应用")

    def __str__(self) -> str:
        return self.name


class LightAppVersion(models.Model):
    """版本: an immutable published definition; submissions are pinned to one."""

    app = models.ForeignKey(LightApp, on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField()
    schema = OrderedJSONField()
    ui = OrderedJSONField()
    flow = OrderedJSONField()
    note = models.CharField(_("版本说明"), max_length=200, blank=True)
    published_at = models.DateTimeField()
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["app", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["app", "number"], name="version_unique_number")
        ]
        verbose_name = _("版本")
        verbose_name_plural = _("版本")

    def __str__(self) -> str:
        return f"{self.app.name} v{self.number}"
