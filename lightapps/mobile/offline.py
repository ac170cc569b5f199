"""离线: the phone pages' service worker, served at /m/sw.js so that its scope is /m/.

The worker is our own (templates/mobile/sw.js, about 150 lines) rather than Workbox: Workbox's
`workbox-sw` loader fetches its modules from Google's CDN, which a city intranet cannot reach,
and its npm modules are meant for a bundler this project does not have. What we need is small:
precache our static files, network-first pages with a cache fallback, cache-first static files,
one cache of pages per person, and Background Sync handing the outbox to delivery.js.

The script lists every static file the phone pages load (hashed names in production): what
frontend/build.mjs built into static/phone/ at install time (one stylesheet, the bundled modules
and their shared chunks, json-logic-js). The worker itself imports delivery.js and store.js from
their sources. Its
BUILD is a digest of their contents: a deploy that changes any of them is a new worker, which
installs a fresh static cache and deletes the old one.
"""

import hashlib
import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpResponse
from django.template.loader import get_template
from django.templatetags.static import static
from django.views.decorators.http import require_GET

# The phone pages load only what the build wrote there (frontend/build.mjs).
PHONE_PREFIX = "phone/"
PHONE_SUFFIXES = (".js", ".css")
# Loaded by the form only after 获取定位 (the place map), kept for offline use all the same.
ON_DEMAND_FILES = ("vendor/leaflet/leaflet.js", "vendor/leaflet/leaflet.css")

# The response headers naming whose page this is (the worker files the page under that person)
# and which version of an app a form shows (the worker fetches a form again when it changed).
PERSON_HEADER = "X-Offline-Person"
VERSION_HEADER = "X-Offline-Version"


def offline_page(view):
    """Mark a page the worker may keep for offline use, under the signed-in person's id."""

    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        if response.status_code == 200 and request.user.is_authenticated:
            response[PERSON_HEADER] = str(request.user.pk)
        return response

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


def _static_files() -> list[str]:
    """The static files of the phone pages, as paths under STATIC_URL (unhashed)."""
    found = set()
    for finder in finders.get_finders():
        for path, storage in finder.list(["CVS", ".*", "*~"]):
            path = path.replace("\\", "/")
            prefix = getattr(storage, "prefix", None)  # STATICFILES_DIRS' ("phone", dir)
            if prefix:
                path = f"{prefix}/{path}"
            if path.startswith(PHONE_PREFIX) and path.endswith(PHONE_SUFFIXES):
                found.add(path)
    return sorted(found) + list(ON_DEMAND_FILES)


def _build(paths: list[str], template_source: bytes) -> str:
    digest = hashlib.sha256(template_source)
    for path in paths:
        digest.update(path.encode())
        located = finders.find(path)
        if located:
            with open(located, "rb") as f:
                digest.update(f.read())
    return digest.hexdigest()[:16]


@require_GET
def service_worker(request):
    """The service worker (no login: the browser checks it for updates whoever is signed in)."""
    paths = _static_files()
    template = get_template("mobile/sw.js")
    config = {
        "build": _build(paths, template.template.source.encode()),
        "static": [static(path) for path in paths],
        "staticPrefix": settings.STATIC_URL,
        "scope": "/m/",
        "personHeader": PERSON_HEADER,
        "versionHeader": VERSION_HEADER,
    }
    body = template.render(
        {
            "config": json.dumps(config, ensure_ascii=False),
            "delivery": static("mobile/delivery.js"),
            "store": static("mobile/store.js"),
            "css": static("phone/phone.css"),
        },
        request,
    )
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    # Checked at every navigation; the browser never keeps an old worker past a deploy.
    response["Cache-Control"] = "no-cache"
    response["Service-Worker-Allowed"] = "/m/"
    return response
