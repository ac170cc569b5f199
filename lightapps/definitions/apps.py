from django.apps import AppConfig


class DefinitionsConfig(AppConfig):
    name = "lightapps.definitions"
    label = "definitions"
