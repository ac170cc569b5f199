from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    name = "lightapps.console"
    label = "console"
