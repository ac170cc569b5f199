"""The API's URLs, mounted at /api/."""

from django.urls import path

from . import figures, places, submissions
from . import light_app_edits as edits
from . import light_apps as definitions
from . import org_units as orgs
from . import work_orders as workorders

urlpatterns = [
    path("org-units/", orgs.OrgUnitListApi.as_view(), name="api-org-units"),
    path("figures/", figures.FiguresApi.as_view(), name="api-figures"),
    path("places/at/", places.PlaceAtApi.as_view(), name="api-places-at"),
    path("apps/", edits.AppsApi.as_view(), name="api-apps"),
    path("app-templates/", definitions.TemplateListApi.as_view(), name="api-app-templates"),
    path("apps/import/", edits.ImportApi.as_view(), name="api-app-import"),
    path("apps/<slug:key>/", definitions.AppDetailApi.as_view(), name="api-app"),
    path("apps/<slug:key>/draft/", edits.AppDraftApi.as_view(), name="api-app-draft"),
    path("apps/<slug:key>/field-key/", edits.FieldKeyApi.as_view(), name="api-field-key"),
    path("apps/<slug:key>/duplicate/", edits.AppDuplicateApi.as_view(), name="api-duplicate"),
    path("apps/<slug:key>/disable/", edits.AppDisableApi.as_view(), name="api-disable"),
    path("apps/<slug:key>/enable/", edits.AppEnableApi.as_view(), name="api-enable"),
    path("apps/<slug:key>/rollback/", edits.RollbackApi.as_view(), name="api-rollback"),
    path("apps/<slug:key>/versions/", definitions.VersionListApi.as_view(), name="api-versions"),
    path(
        "apps/<slug:key>/versions/<int:number>/",
        definitions.VersionDetailApi.as_view(),
        name="api-version",
    ),
    path("apps/<slug:key>/publish/", edits.PublishApi.as_view(), name="api-publish"),
    path("apps/<slug:key>/export/", definitions.ExportApi.as_view(), name="api-app-export"),
    path("apps/<slug:key>/diff/", definitions.DiffApi.as_view(), name="api-app-diff"),
    path(
        "apps/<slug:key>/submissions/",
        submissions.SubmissionApi.as_view(),
        name="api-submissions",
    ),
    path(
        "apps/<slug:key>/submissions/<uuid:pk>/",
        submissions.SubmissionDetailApi.as_view(),
        name="api-submission",
    ),
    path(
        "apps/<slug:key>/submissions/export/",
        submissions.SubmissionExportApi.as_view(),
        name="api-submissions-export",
    ),
    path("attachments/", submissions.AttachmentUploadApi.as_view(), name="api-attachments"),
    path("work-orders/", workorders.WorkOrderListApi.as_view(), name="api-work-orders"),
    path("work-orders/<int:pk>/", workorders.WorkOrderDetailApi.as_view(), name="api-work-order"),
    path(
        "work-orders/<int:pk>/actions/",
        workorders.WorkOrderActionApi.as_view(),
        name="api-work-order-actions",
    ),
]
