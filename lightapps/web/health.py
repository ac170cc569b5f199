"""Health checks for a load balancer: no login, never redirected to HTTPS, cheap.

- `/healthz` (liveness): the process answers. Touches nothing else, the database included.
- `/readyz` (readiness): the database answers `SELECT 1`, the cache stores and returns a key, and
  the Celery broker accepts a connection. 200 when all pass, 503 naming what failed. The body
  names each check's backend (`postgresql`, `redis`, `locmem`, `memory`…) and, for a failure,
  the exception's class: never a host, a URL or a password.
"""

import time
import uuid

from django.core.cache import caches
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from lightapps.celery import app as celery_app

# Seconds a readiness check may spend reaching the broker.
BROKER_TIMEOUT = 2.0
CACHE_KEY = "lightapps:readyz"


@require_safe
@never_cache
def healthz(request):
    return JsonResponse({"status": "ok"})


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return connection.vendor


def _cache() -> str:
    # A key of its own for each check: probes of several processes at once never read another's.
    cache, token = caches["default"], uuid.uuid4().hex
    key = f"{CACHE_KEY}:{token}"
    cache.set(key, token, timeout=30)
    try:
        if cache.get(key) != token:
            raise LookupError("the cache did not return the key it stored")
    finally:
        cache.delete(key)
    # RedisCache, ResilientRedisCache: "redis"
    return type(cache).__name__.removesuffix("Cache").removeprefix("Resilient").lower()


def _broker() -> str:
    timeouts = {"socket_connect_timeout": BROKER_TIMEOUT, "socket_timeout": BROKER_TIMEOUT}
    with celery_app.connection_for_write(
        connect_timeout=BROKER_TIMEOUT, transport_options=timeouts
    ) as conn:
        conn.ensure_connection(
            max_retries=1, interval_start=0, interval_step=0, timeout=BROKER_TIMEOUT
        )
        return conn.transport.driver_type


CHECKS = {"database": _database, "cache": _cache, "broker": _broker}


@require_safe
@never_cache
def readyz(request):
    results, ready = {}, True
    for name, check in CHECKS.items():
        started = time.perf_counter()
        try:
            result = {"status": "ok", "backend": check()}
        except Exception as exc:  # any failure means "not ready", whatever raised it
            ready = False
            result = {"status": "fail", "error": type(exc).__name__}
        result["ms"] = round((time.perf_counter() - started) * 1000, 1)
        results[name] = result
    body = {"status": "ok" if ready else "fail", "checks": results}
    return JsonResponse(body, status=200 if ready else 503)
