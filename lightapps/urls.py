from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.views.generic import RedirectView
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from lightapps.web.attachments import attachment_file

urlpatterns = [
    path("", RedirectView.as_view(url="/m/", permanent=False)),
    path("", include("lightapps.web.urls")),
    path("m/", include("lightapps.mobile.urls")),
    path("console/", include("lightapps.console.urls")),
    path("builder/", include("builder.urls")),
    path("wecom/", include("lightapps.web.wecom_urls")),
    path("api/", include("lightapps.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
    path("attachments/<uuid:pk>/", attachment_file, name="attachment"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
