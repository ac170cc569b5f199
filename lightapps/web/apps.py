from django.apps import AppConfig
from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.core import checks

from .middleware import session_started


def dev_login_check(app_configs, **kwargs):
    """Said at start (runserver, check): the passwordless login is open beyond this machine."""
    if not settings.DEV_LOGIN_ANY_ADDRESS:
        return []
    return [
        checks.Warning(
            "DEV_LOGIN=1: the development login (no password) answers every address.",
            hint="Anyone who reaches this server can sign in as any demo person. Unset DEV_LOGIN "
            "to keep it to loopback, or set DEV_LOGIN=0.",
            id="lightapps.W001",
        )
    ]


class WebConfig(AppConfig):
    """What every page shares: sign-in and sign-out, the desktop top bar, the template context."""

    name = "lightapps.web"
    label = "web"

    def ready(self):
        user_logged_in.connect(session_started, dispatch_uid="lightapps.web.session_started")
        checks.register(dev_login_check, checks.Tags.security)
