from django.urls import path

from . import views

app_name = "builder"

urlpatterns = [
    path("", views.apps, name="apps"),
    path("import/", views.import_app, name="import"),
    path("apps/<slug:key>/", views.app, name="app"),
    path("apps/<slug:key>/export/", views.export, name="export"),
]
