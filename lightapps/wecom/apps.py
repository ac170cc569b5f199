from django.apps import AppConfig


class WecomConfig(AppConfig):
    name = "lightapps.wecom"
    label = "wecom"
