from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "lightapps.submissions"
    label = "submissions"
