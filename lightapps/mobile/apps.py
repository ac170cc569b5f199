from django.apps import AppConfig
from django.core import checks


class MobileConfig(AppConfig):
    """The phone pages a grid worker or handler opens from WeCom, mounted at /m/."""

    name = "lightapps.mobile"
    label = "mobile"

    def ready(self):
        from .checks import phone_build_check

        checks.register(phone_build_check)
