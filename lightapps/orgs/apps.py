from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "lightapps.orgs"
    label = "orgs"
