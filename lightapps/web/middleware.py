"""Inside WeCom, an unauthenticated visitor of any page is sent through the OAuth login."""

import re
from urllib.parse import urlencode

from django.shortcuts import redirect
from django.urls import reverse

from lightapps.wecom.client import wecom_configured

WECOM_UA = re.compile(r"wxwork/([\d.]+)", re.IGNORECASE)
EXEMPT_PREFIXES = ("/wecom/", "/static/", "/media/", "/api/", "/favicon")


def is_wecom_browser(request) -> bool:
    return bool(WECOM_UA.search(request.META.get("HTTP_USER_AGENT", "")))


class WeComLoginMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if (
            request.method in {"GET", "HEAD"}
            and not request.path.startswith(EXEMPT_PREFIXES)
            and is_wecom_browser(request)
            and not request.user.is_authenticated
            and wecom_configured()
        ):
            query = urlencode({"next": request.get_full_path()})
            return redirect(f"{reverse('wecom:start')}?{query}")
        return self.get_response(request)
