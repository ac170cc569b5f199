"""ASGI entry: websockets for the live console. In production plain HTTP is served by WSGI
(gunicorn) and this process only gets /ws/ (see DESIGN.md); `make run` serves both from here
(uvicorn, one process, the in-memory channel layer), with the static files as runserver would."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lightapps.settings")
django_asgi_app = get_asgi_application()

from django.conf import settings  # noqa: E402

if settings.DEBUG:
    from django.contrib.staticfiles.handlers import ASGIStaticFilesHandler

    django_asgi_app = ASGIStaticFilesHandler(django_asgi_app)

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from channels.security.websocket import AllowedHostsOriginValidator  # noqa: E402
from django.urls import re_path  # noqa: E402

from lightapps.console.routing import websocket_urlpatterns  # noqa: E402


async def websocket_refuse(scope, receive, send):
    """A websocket to a path no route knows: refused at the handshake (the server answers 403),
    instead of an exception in the server's log. Touches nothing, the channel layer included."""
    await receive()  # websocket.connect
    await send({"type": "websocket.close"})


refuse_unknown = [re_path(r"", websocket_refuse)]

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": AllowedHostsOriginValidator(
            AuthMiddlewareStack(URLRouter(websocket_urlpatterns + refuse_unknown))
        ),
    }
)
