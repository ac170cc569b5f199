from django.apps import AppConfig


class WorkordersConfig(AppConfig):
    name = "lightapps.workorders"
    label = "workorders"
