from django.apps import AppConfig


class MobileConfig(AppConfig):
    """The phone pages a grid worker or handler opens from WeCom, mounted at /m/."""

    name = "lightapps.mobile"
    label = "mobile"
