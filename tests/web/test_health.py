"""Health checks for the load balancer: /healthz (liveness) and /readyz (database, cache, broker).

Failures are real: a cache and a broker on a port of 127.0.0.1 where nothing listens, and a
production process whose every service is such a port.
"""

import json
import re
import socket
import subprocess
import sys

import pytest
from django.db import connection

from lightapps.celery import app as celery_app
from tests.fixtures.production import ROOT, production_env

WECOM_UA = "Mozilla/5.0 (Linux; Android 10) Mobile Safari/537.36 wxwork/4.1.20 MicroMessenger/7.0.1"


@pytest.fixture
def closed_port():
    """A port on 127.0.0.1 where nothing listens (taken from the OS, then let go)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def broker_at():
    """Points the Celery app at a broker URL (Celery reads its configuration once)."""
    before = celery_app.conf.broker_url

    def point(url):
        celery_app.conf.broker_url = url

    yield point
    celery_app.conf.broker_url = before


def test_healthz_answers_ok_without_a_login_or_the_database(client):
    # when: without the `db` fixture, any query would fail the test
    response = client.get("/healthz")

    # then

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_health_checks_are_not_sent_through_the_wecom_login(client, db, settings):
    # given: WeCom configured, and a probe that looks like the WeCom browser
    settings.WECOM_CORP_ID, settings.WECOM_AGENT_ID, settings.WECOM_SECRET = "ww1", "1000002", "s"

    # when / then: a page would go through OAuth, the health checks answer
    assert client.get("/login/", HTTP_USER_AGENT=WECOM_UA).status_code == 302
    assert client.get("/healthz", HTTP_USER_AGENT=WECOM_UA).status_code == 200
    assert client.get("/readyz", HTTP_USER_AGENT=WECOM_UA).status_code == 200


def test_healthz_refuses_a_post(client):
    assert client.post("/healthz").status_code == 405


def test_readyz_checks_the_database_cache_and_broker(client, db):
    response = client.get("/readyz")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker"}
    assert all(check["status"] == "ok" for check in body["checks"].values()), body
    assert body["checks"]["database"]["backend"] == connection.vendor
    # Embedded default: the local-memory cache and the in-memory broker; with REDIS_URL, Redis.
    redis = bool(celery_app.conf.broker_url.startswith("redis"))
    assert body["checks"]["cache"]["backend"] == ("redis" if redis else "locmem")
    assert body["checks"]["broker"]["backend"] == ("redis" if redis else "memory")
    assert "no-store" in response["Cache-Control"]


def test_readyz_is_503_naming_an_unreachable_broker(client, db, broker_at, closed_port):
    # given: the broker on a port where nothing listens, with a password in its URL
    broker_at(f"redis://:hunter2@127.0.0.1:{closed_port}/0")

    # when
    response = client.get("/readyz")

    # then: which check failed and why in a word, never the URL
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "fail"
    assert body["checks"]["broker"]["status"] == "fail"
    assert body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["cache"]["status"] == "ok"
    text = response.content.decode()
    assert "hunter2" not in text and str(closed_port) not in text and "127.0.0.1" not in text


def test_readyz_is_503_naming_an_unreachable_cache(client, db, settings, closed_port):
    # given: the cache is a Redis where nothing listens
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port}/0",
        }
    }

    # when
    response = client.get("/readyz")

    # then
    assert response.status_code == 503
    checks = response.json()["checks"]
    assert (checks["cache"]["status"], checks["cache"]["error"]) == ("fail", "ConnectionError")
    assert checks["database"]["status"] == "ok"


def _in_production(code: str, static_root, **env) -> subprocess.CompletedProcess:
    # (An existing STATIC_ROOT: on a fresh clone WhiteNoise would warn that there is none.)
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + code],
        cwd=ROOT,
        env=production_env(ALLOWED_HOSTS="testserver", STATIC_ROOT=str(static_root), **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_in_production_the_checks_answer_on_plain_http_and_report_every_failure(
    closed_port, tmp_path
):
    # given: production mode, SSL redirect on, and nothing listening for any of the services
    code = (
        "from django.test import Client\n"
        "c = Client()\n"
        "for path in ('/healthz', '/readyz', '/login/'):\n"
        "    r = c.get(path)\n"
        "    print(path, r.status_code, r.content.decode() if path != '/login/' else '')\n"
    )
    result = _in_production(
        code,
        tmp_path,
        DATABASE_URL=f"postgres://app:s3cret@127.0.0.1:{closed_port}/lightapps",
        REDIS_URL=f"redis://:s3cret@127.0.0.1:{closed_port}/0",
    )

    # then: pages redirect to HTTPS, the health checks answer; readyz names all three failures
    assert result.returncode == 0, result.stderr
    lines = dict(line.split(" ", 1) for line in result.stdout.splitlines())
    assert lines["/healthz"] == '200 {"status": "ok"}'
    status, body = lines["/readyz"].split(" ", 1)
    assert status == "503"
    checks = json.loads(body)["checks"]
    assert {name: check["status"] for name, check in checks.items()} == {
        "database": "fail",
        "cache": "fail",
        "broker": "fail",
    }
    assert "s3cret" not in body and str(closed_port) not in body
    assert lines["/login/"].strip() == "301"
    # and the process logged JSON lines, the 503 among them with its request's id
    records = [json.loads(line) for line in result.stderr.splitlines()]
    (ready,) = [
        r for r in records if r["logger"] == "lightapps.requests" and r["path"] == "/readyz"
    ]
    assert (ready["status"], ready["method"], ready["user_id"]) == (503, "GET", None)
    assert re.fullmatch(r"[0-9a-f]{32}", ready["request_id"])
    (unavailable,) = [r for r in records if r["logger"] == "django.request"]
    assert unavailable["request_id"] == ready["request_id"]
    assert unavailable["level"] == "ERROR" and "/readyz" in unavailable["message"]
