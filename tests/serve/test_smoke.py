"""Smoke test through a running `make serve`: production mode, gunicorn, uvicorn, Celery, Redis and
PostgreSQL, all real, over HTTP and websockets (CI's serve lane).

Skipped unless SERVE_URL is set, e.g. with `make serve` running in another terminal:

    SERVE_URL=http://127.0.0.1:8000 SERVE_WS_URL=ws://127.0.0.1:8001 \\
        .venv/bin/python -m pytest -q -m serve

Run it with the environment `make serve` got (DATABASE_URL, REDIS_URL…): the admin login and
`check --deploy` go through `deploy/serve.sh manage`, which derives the same settings. With
SERVE_LOG (the file `make serve` writes to) the JSON request lines are checked too.
"""

import json
import os
import re
import secrets
import subprocess
import time
import uuid
from urllib.parse import urlsplit

import pytest
import requests
from websockets.exceptions import InvalidStatus
from websockets.sync.client import connect

from tests.fixtures.production import ROOT

SERVE_URL = os.environ.get("SERVE_URL", "").rstrip("/")
SERVE_WS_URL = os.environ.get("SERVE_WS_URL", "").rstrip("/")
SERVE_LOG = os.environ.get("SERVE_LOG", "")

pytestmark = [
    pytest.mark.serve,
    pytest.mark.skipif(not SERVE_URL, reason="needs a running `make serve` (SERVE_URL)"),
]

TIMEOUT = 10


def get(path, **kwargs):
    kwargs.setdefault("allow_redirects", False)
    return requests.get(SERVE_URL + path, timeout=TIMEOUT, **kwargs)


def manage(*args, **env):
    """manage.py with the settings of `make serve`."""
    return subprocess.run(
        ["bash", "deploy/serve.sh", "manage", *args],
        cwd=ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def ws_url() -> str:
    if SERVE_WS_URL:
        return SERVE_WS_URL
    web = urlsplit(SERVE_URL)
    return f"ws://{web.hostname}:{(web.port or 80) + 1}"


def test_healthz_is_ok():
    response = get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_finds_postgresql_and_redis():
    response = get("/readyz")

    assert response.status_code == 200, response.text
    checks = response.json()["checks"]
    assert {name: (c["status"], c["backend"]) for name, c in checks.items()} == {
        "database": ("ok", "postgresql"),
        "cache": ("ok", "redis"),
        "broker": ("ok", "redis"),
    }


def test_the_login_page_has_a_csp_and_no_development_login():
    response = get("/login/")

    assert response.status_code == 200
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "data-username" not in response.text
    assert "开发登录" not in response.text


def test_static_files_are_served_hashed_and_cached_for_good():
    # given: the stylesheet the login page links (a hashed name from collectstatic)
    (href,) = re.findall(r'href="(/static/[^"]+\.css)"', get("/login/").text)[:1]
    assert re.search(r"\.[0-9a-f]{12}\.css$", href), href

    # when
    response = get(href)

    # then: WhiteNoise serves it
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/css")
    assert "immutable" in response.headers["Cache-Control"]


def test_the_api_and_its_docs_need_a_login():
    docs = get("/api/docs/")
    orders = get("/api/work-orders/")

    assert docs.status_code in {401, 403, 302}
    assert orders.status_code == 401
    assert orders.headers["WWW-Authenticate"] == "Token"


def test_pages_send_a_visitor_to_the_login():
    response = get("/console/")

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/login/")


def test_the_request_id_is_echoed_or_made_up():
    mine = f"smoke-{uuid.uuid4().hex}"

    assert get("/healthz", headers={"X-Request-ID": mine}).headers["X-Request-ID"] == mine
    made_up = get("/healthz", headers={"X-Request-ID": "bad id\twith tab"}).headers["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", made_up)


@pytest.mark.skipif(not SERVE_LOG, reason="needs the log of `make serve` (SERVE_LOG)")
def test_the_log_has_a_json_line_for_the_request_with_its_id():
    # given
    mine = f"smoke-{uuid.uuid4().hex}"
    get("/login/", headers={"X-Request-ID": mine})

    # when: honcho prefixes each line with the time and the process ("web.1 | ")
    deadline, lines = time.monotonic() + 5, []
    while not lines and time.monotonic() < deadline:
        with open(SERVE_LOG, encoding="utf-8") as log:
            lines = [line.split("| ", 1)[1] for line in log if mine in line]
        time.sleep(0.1)

    # then
    (line,) = lines
    record = json.loads(line)
    assert record["logger"] == "lightapps.requests"
    assert record["request_id"] == mine
    assert (record["method"], record["path"], record["status"]) == ("GET", "/login/", 200)


def test_the_websocket_server_refuses_an_unknown_path_and_goes_on():
    origin = SERVE_URL  # our own site: the origin check passes, no route matches
    for headers in ({"origin": origin}, {"origin": "http://evil.example"}, {}):
        with pytest.raises(InvalidStatus) as refused:
            connect(f"{ws_url()}/ws/nothing-here/", open_timeout=TIMEOUT, **headers).close()
        assert refused.value.response.status_code == 403
    # the console's live socket: refused without a session, and from another site
    for headers in ({"origin": origin}, {"origin": "http://evil.example"}):
        with pytest.raises(InvalidStatus) as refused:
            connect(f"{ws_url()}/ws/console/", open_timeout=TIMEOUT, **headers).close()
        assert refused.value.response.status_code == 403

    # and the ASGI process still answers (its HTTP side is the same Django)
    http = ws_url().replace("ws://", "http://", 1)
    assert requests.get(f"{http}/healthz", timeout=TIMEOUT).json() == {"status": "ok"}


@pytest.fixture
def admin():
    """A superuser made the way the README says (createsuperuser), deleted afterwards."""
    username, password = f"smoke-{uuid.uuid4().hex[:10]}", secrets.token_urlsafe(24)
    made = manage(
        "createsuperuser",
        "--noinput",
        f"--username={username}",
        "--email=smoke@example.org",
        DJANGO_SUPERUSER_PASSWORD=password,
    )
    assert made.returncode == 0, made.stdout + made.stderr
    yield username, password
    code = f"from lightapps.orgs.models import Person; Person.objects.filter(username={username!r}).delete()"
    manage("shell", "-c", code)


def _cookie(response, name):
    """A cookie the response set. Our cookies are `Secure`, so `requests` would not send them
    back to a plain-HTTP site: the tests hand them back in a Cookie header themselves."""
    return next(cookie for cookie in response.cookies if cookie.name == name)


def test_an_admin_signs_in_with_a_password_and_reads_the_api_docs(admin):
    username, password = admin

    # given: the login form and its CSRF cookie
    form = get("/admin/login/?next=/admin/")
    csrf = _cookie(form, "csrftoken")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)

    # when
    signed_in = requests.post(
        f"{SERVE_URL}/admin/login/?next=/admin/",
        data={"username": username, "password": password, "csrfmiddlewaretoken": token},
        headers={"Cookie": f"csrftoken={csrf.value}"},
        allow_redirects=False,
        timeout=TIMEOUT,
    )

    # then: a session, in a cookie that is Secure and HttpOnly
    assert signed_in.status_code == 302, signed_in.text[:500]
    assert signed_in.headers["Location"] == "/admin/"
    session = _cookie(signed_in, "sessionid")
    assert session.secure and session.has_nonstandard_attr("HttpOnly")
    cookie = {"Cookie": f"sessionid={session.value}"}
    assert get("/admin/", headers=cookie).status_code == 200
    assert get("/api/docs/", headers=cookie).status_code == 200


def test_check_deploy_is_clean_with_the_production_settings():
    # With TLS in front (the real deployment) nothing is left to warn about.
    behind_tls = manage("check", "--deploy", "--fail-level", "WARNING", SECURE_SSL_REDIRECT="1")
    assert behind_tls.returncode == 0, behind_tls.stdout + behind_tls.stderr

    # On plain HTTP on loopback (`make serve` alone) only the HTTPS redirect is off.
    local = manage("check", "--deploy", SECURE_SSL_REDIRECT="0")
    assert local.returncode == 0, local.stdout + local.stderr
    assert re.findall(r"security\.W\d+", local.stdout + local.stderr) == ["security.W008"]
