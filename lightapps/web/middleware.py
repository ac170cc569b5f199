"""Rules of every request: sessions end when idle or too old, inside WeCom an unauthenticated
visitor of any page is sent through the OAuth login, and what a request does is audited with
where it came from."""

import re
import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from lightapps.audit.origin import origin_of, origin_reset, origin_set
from lightapps.web.jsonbody import BadText, form_text_check
from lightapps.wecom.client import wecom_configured

WECOM_UA = re.compile(r"wxwork/([\d.]+)", re.IGNORECASE)
# Paths never sent through the OAuth login: WeCom's own, files, the API, the health checks.
# /m/sw.js: the browser checks the service worker for updates without following a login redirect.
EXEMPT_PREFIXES = (
    "/wecom/", "/static/", "/media/", "/api/", "/favicon", "/healthz", "/readyz", "/m/sw.js",
)  # fmt: skip


def is_wecom_browser(request) -> bool:
    return bool(WECOM_UA.search(request.META.get("HTTP_USER_AGENT", "")))


# Session keys: when the person logged in, and when they were last seen (Unix seconds).
LOGGED_IN_AT = "lightapps_logged_in_at"
SEEN_AT = "lightapps_seen_at"
# Record activity at most this often: a session is written once a minute, not on every request.
SEEN_EVERY = 60


def session_started(*, request, **_kwargs) -> None:
    """On every login (dev login, WeCom OAuth, admin): the session's absolute clock starts."""
    now = int(time.time())
    request.session[LOGGED_IN_AT] = now
    request.session[SEEN_AT] = now


def session_expired(session, *, now: float) -> bool:
    """Idle longer than SESSION_IDLE_SECONDS, or logged in longer ago than SESSION_MAX_SECONDS.

    A session from before these rules (no marks) counts as starting now.
    """
    seen = session.get(SEEN_AT, now)
    started = session.get(LOGGED_IN_AT, now)
    return (
        now - seen > settings.SESSION_IDLE_SECONDS or now - started > settings.SESSION_MAX_SECONDS
    )


class SessionLimitsMiddleware:
    """登录连接超时自动退出: an idle or too old session is logged out (the page then asks for a
    login, or inside WeCom goes through OAuth again); an active one records that it was seen."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and hasattr(request, "session"):
            now = time.time()
            if session_expired(request.session, now=now):
                request.logout_reason = "expired"  # audited as auth.session_expired
                logout(request)
                if not request.path.startswith("/api/"):  # pages say why; the API answers 401
                    messages.info(request, _("登录已超时，请重新登录"))
            else:
                if LOGGED_IN_AT not in request.session:
                    request.session[LOGGED_IN_AT] = int(now)
                if now - request.session.get(SEEN_AT, 0) >= SEEN_EVERY:
                    request.session[SEEN_AT] = int(now)
        return self.get_response(request)


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


class AuditOriginMiddleware:
    """The client's address, user agent and request id, for every audit entry this request
    writes (the domain's services read it; they never see the request)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        token = origin_set(origin_of(request))
        try:
            return self.get_response(request)
        finally:
            origin_reset(token)


class TextCheckMiddleware:
    """Query strings everywhere, and form posts of pages, refused (400) when they carry text that
    cannot be stored: NUL, non-characters (lone surrogates cannot arrive: Django decodes a form
    body with replacement). The API's own parsers check its bodies the same way."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            form_text_check(request.GET)
            if request.method == "POST" and not request.path.startswith("/api/"):
                form_text_check(request.POST)
        except BadText as exc:
            if request.path.startswith("/api/"):
                return JsonResponse(exc.as_dict(), status=400)
            return render(request, "400.html", {"message": exc.message}, status=400)
        return self.get_response(request)
