"""WeCom's URLs, mounted at /wecom/: the OAuth login, JS-SDK signatures, the callback."""

from django.urls import path

from . import wecom

app_name = "wecom"

urlpatterns = [
    path("oauth/start/", wecom.oauth_start, name="start"),
    path("oauth/callback/", wecom.oauth_callback, name="callback_oauth"),
    path("qr/start/", wecom.qr_start, name="qr_start"),
    path("jssdk/signature/", wecom.jssdk_signature, name="jssdk_signature"),
    path("callback/", wecom.callback, name="callback"),
]
