from django.urls import path

from . import app_list, flow, versions, views

app_name = "builder"

urlpatterns = [
    path("", app_list.apps, name="apps"),
    path("import/", views.import_app, name="import"),
    path("apps/<slug:key>/", views.app, name="app"),
    path("apps/<slug:key>/flow/", flow.flow, name="flow"),
    path("apps/<slug:key>/versions/", versions.versions, name="versions"),
    path("apps/<slug:key>/export/", views.export, name="export"),
]
