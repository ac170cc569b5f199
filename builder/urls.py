from django.urls import path

from . import app_list, design, flow, versions, views

app_name = "builder"

urlpatterns = [
    path("", app_list.apps, name="apps"),
    path("import/", views.import_app, name="import"),
    path("apps/<slug:key>/", design.design, name="app"),
    path("apps/<slug:key>/preview/", design.preview, name="preview"),
    path("apps/<slug:key>/preview/check/", design.preview_check, name="preview_check"),
    path("apps/<slug:key>/flow/", flow.flow, name="flow"),
    path("apps/<slug:key>/versions/", versions.versions, name="versions"),
    path("apps/<slug:key>/export/", views.export, name="export"),
]
