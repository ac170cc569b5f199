"""Mobile pages, mounted at /m/."""

from django.urls import path

from . import offline, views

app_name = "mobile"

urlpatterns = [
    path("", views.home, name="home"),
    # The service worker: its URL under /m/ gives it the scope /m/.
    path("sw.js", offline.service_worker, name="service_worker"),
    path("apps/<slug:key>/", views.form, name="form"),
    path("submitted/<uuid:pk>/", views.submitted, name="submitted"),
    path("work-orders/<int:pk>/", views.work_order, name="work_order"),
    path("work-orders/<int:pk>/act/", views.work_order_act, name="work_order_act"),
]
