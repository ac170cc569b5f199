from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkordersConfig(AppConfig):
    name = "lightapps.workorders"
    label = "workorders"
    verbose_name = _("工单")
