from django.urls import path

from . import views

app_name = "wecom"

urlpatterns = [
    path("oauth/start/", views.oauth_start, name="start"),
    path("oauth/callback/", views.oauth_callback, name="callback_oauth"),
    path("jssdk/signature/", views.jssdk_signature, name="jssdk_signature"),
    path("callback/", views.callback, name="callback"),
]
