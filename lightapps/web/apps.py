from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in

from .middleware import session_started


class WebConfig(AppConfig):
    """What every page shares: sign-in and sign-out, the desktop top bar, the template context."""

    name = "lightapps.web"
    label = "web"

    def ready(self):
        user_logged_in.connect(session_started, dispatch_uid="lightapps.web.session_started")
