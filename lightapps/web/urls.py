"""Login and logout, at the site's root; the health checks of the load balancer."""

from django.urls import path

from . import health, login

urlpatterns = [
    path("login/", login.login_page, name="login"),
    path("logout/", login.logout_view, name="logout"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
