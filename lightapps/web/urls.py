"""Login and logout, at the site's root."""

from django.urls import path

from . import login

urlpatterns = [
    path("login/", login.login_page, name="login"),
    path("logout/", login.logout_view, name="logout"),
]
