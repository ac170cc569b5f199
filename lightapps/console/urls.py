from django.urls import path

from . import views

app_name = "console"

urlpatterns = [
    path("", views.work_orders, name="work_orders"),
    path("work-orders/<int:pk>/", views.work_order, name="work_order"),
    path("work-orders/<int:pk>/act/", views.act, name="act"),
]
