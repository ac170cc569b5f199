"""The demo app's Django config (演示数据: `manage.py seed_demo`)."""

from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "lightapps.demo"
    label = "demo"
