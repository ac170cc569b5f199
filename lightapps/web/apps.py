from django.apps import AppConfig


class WebConfig(AppConfig):
    """What every page shares: sign-in and sign-out, the desktop top bar, the template context."""

    name = "lightapps.web"
    label = "web"
