from csp.constants import SELF, UNSAFE_INLINE
from csp.decorators import csp_update
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import (
    SpectacularAPIView,
    SpectacularRedocView,
    SpectacularSwaggerSplitView,
)

from lightapps.web.attachments import attachment_file

REDOC = csp_update({"style-src": [SELF, UNSAFE_INLINE]})(
    SpectacularRedocView.as_view(url_name="api-schema")
)

urlpatterns = [
    path("", RedirectView.as_view(url="/m/", permanent=False)),
    path("", include("lightapps.web.urls")),
    path("m/", include("lightapps.mobile.urls")),
    path("console/", include("lightapps.console.urls")),
    path("builder/", include("builder.urls")),
    path("wecom/", include("lightapps.web.wecom_urls")),
    path("api/", include("lightapps.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    # Swagger UI with its start-up script served apart (no inline script under the CSP).
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # ReDoc writes its styles as <style> elements at run time; on this page alone the policy lets
    # inline styles (never scripts) through.
    path("api/redoc/", REDOC, name="api-redoc"),
    path("attachments/<uuid:pk>/", attachment_file, name="attachment"),
    path("admin/", admin.site.urls),
]

handler404 = "lightapps.web.error_pages.not_found"
handler500 = "lightapps.web.error_pages.server_error"
