"""The server bench/ingest.py measures: the product's WSGI application with one more URL, the
baseline — a bare view that does the least an ingest endpoint can (json.loads of the body and
one INSERT) — so that both are served by the same gunicorn, workers, middleware and database.
Never part of the product: only bench/ingest.py points gunicorn here."""

import json
import os
import uuid

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "lightapps.settings")

from django.core.wsgi import get_wsgi_application  # noqa: E402

application = get_wsgi_application()

from django.db import connection  # noqa: E402
from django.http import HttpResponseBadRequest, JsonResponse  # noqa: E402
from django.urls import clear_url_caches, path  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.views.decorators.csrf import csrf_exempt  # noqa: E402

BARE_TABLE = "bench_bare"
BARE_URL = "/bench/bare/"


@csrf_exempt
def bare(request):
    try:
        body = json.loads(request.body)
        row = uuid.UUID(body["id"])
    except (ValueError, KeyError, TypeError):
        return HttpResponseBadRequest()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (id, body, received_at) VALUES (%s, %s, %s)",  # noqa: S608
            [str(row), request.body.decode(), timezone.now()],
        )
    return JsonResponse({"id": str(row)}, status=201)


def _add_bare_url() -> None:
    import lightapps.urls

    lightapps.urls.urlpatterns.insert(0, path(BARE_URL.strip("/") + "/", bare))
    clear_url_caches()


_add_bare_url()
