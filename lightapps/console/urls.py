from django.urls import path

from . import audit, bulk, data, export_jobs, exports, figures, maps, saved_filter_pages, views

app_name = "console"

urlpatterns = [
    path("", views.work_orders, name="work_orders"),
    path("filters/", saved_filter_pages.saved_filter_create, name="saved_filter_create"),
    path(
        "filters/<int:pk>/delete/",
        saved_filter_pages.saved_filter_remove,
        name="saved_filter_remove",
    ),
    path("bulk/", bulk.bulk_act, name="bulk_act"),
    path("exports/", export_jobs.export_jobs, name="export_jobs"),
    path("exports/<uuid:pk>/", export_jobs.export_job, name="export_job"),
    path("exports/<uuid:pk>/status/", export_jobs.export_job_state, name="export_job_state"),
    path("exports/<uuid:pk>/download/", export_jobs.export_download, name="export_download"),
    path("export/", exports.work_orders_export, name="work_orders_export"),
    path("work-orders/<int:pk>/", views.work_order, name="work_order"),
    path("work-orders/<int:pk>/act/", views.act, name="act"),
    path("map/", maps.map_page, name="map"),
    path("figures/", figures.figures_page, name="figures"),
    path("figures/export/", figures.figures_export, name="figures_export"),
    path("map/points/", maps.map_points, name="map_points"),
    path("data/", data.data, name="data"),
    path("data/export/", data.data_export, name="data_export"),
    path("submissions/<uuid:pk>/", data.submission, name="submission"),
    path("audit/", audit.audit_log, name="audit"),
    path("audit/export/", audit.audit_export, name="audit_export"),
]
