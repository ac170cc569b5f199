"""The API's documentation works on an intranet: Swagger UI and ReDoc from our own static files,
under the Content-Security-Policy, and behind login in production."""

import json
import re
import subprocess
import sys

from tests.fixtures.production import ROOT, production_env


def test_swagger_ui_and_redoc_load_nothing_from_another_host(client):
    # when
    docs = client.get("/api/docs/")
    script = client.get("/api/docs/?script=")
    redoc = client.get("/api/redoc/")
    # then: every file they name is ours, and the start-up script is a file of its own
    for page in (docs, redoc):
        html = page.content.decode()
        assert page.status_code == 200
        assert re.findall(r'(?:src|href)="(https?:)?//', html) == []
        assert "<style" not in html and "<script>" not in html
    assert (
        "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js"
        in docs.content.decode()
    )
    assert script.status_code == 200 and script["Content-Type"].startswith("application/javascript")
    assert "/api/schema/" in script.content.decode()


def _directives(header: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in header.split(";") if d.strip())


def test_every_page_carries_the_content_security_policy(client, people):
    client.force_login(people["supervisor"])
    directives = _directives(client.get("/console/")["Content-Security-Policy"])
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["object-src"] == "'none'"
    # ReDoc alone may add inline styles (it writes them at run time); never scripts
    redoc = _directives(client.get("/api/redoc/")["Content-Security-Policy"])
    assert (redoc["style-src"], redoc["script-src"]) == ("'self' 'unsafe-inline'", "'self'")


def test_in_production_the_schema_and_its_docs_need_a_login():
    script = """
import django, json; django.setup()
from django.test import Client
client = Client(HTTP_HOST="example.org")
print(json.dumps({p: client.get(p, secure=True).status_code
                  for p in ["/api/schema/", "/api/docs/", "/api/docs/?script=", "/api/redoc/"]}))
"""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    codes = json.loads(result.stdout.strip().splitlines()[-1])
    assert codes == {
        "/api/schema/": 401,
        "/api/docs/": 401,
        "/api/docs/?script=": 401,
        "/api/redoc/": 401,
    }
