from django.urls import path

from . import views

app_name = "builder"

urlpatterns = [
    path("", views.apps, name="apps"),
    path("apps/<slug:key>/", views.app, name="app"),
]
