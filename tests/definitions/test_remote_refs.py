"""A `$ref` to anywhere but the definition itself is refused at its field and never fetched.

Both JSON Schema libraries fetch unknown URIs while compiling if left to themselves; a draft
could then make the server request an intranet address or read a file. A real HTTP server on
127.0.0.1 serves a valid schema at the address the draft names, and counts who asked.
"""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from lightapps.definitions.dialect import SchemaUncompilable, compile_schema, definition_problems
from lightapps.definitions.models import LightApp, LightAppVersion

FLOW = {"template": "none"}


@pytest.fixture
def schema_host():
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):
            hits.append(self.path)
            body = b'{"type": "string", "maxLength": 3}'
            self.send_response(200)
            self.send_header("Content-Type", "application/schema+json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hits
    server.shutdown()


def _form(ref: str, **root) -> dict:
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "type": "object",
        "properties": {"site": {"title": "工地", "$ref": ref}},
        **root,
    }


@pytest.mark.parametrize(
    "ref",
    ["{host}/s.json", "file:///etc/passwd", "s.json", "//127.0.0.1/s.json", "urn:x:y"],
)
def test_an_outside_ref_is_a_problem_at_its_field_and_nothing_is_fetched(schema_host, ref):
    host, hits = schema_host
    ref = ref.format(host=host)

    problems = definition_problems(_form(ref), {}, FLOW)
    with pytest.raises(SchemaUncompilable):
        compile_schema(_form(ref))

    assert {"pointer": "/schema/properties/site/$ref",
            "message": f"只能引用本定义内的内容（以 # 开头），不能引用“{ref}”"} in problems  # fmt: skip
    assert hits == []


def test_a_relative_ref_under_a_remote_id_is_not_fetched_either(schema_host):
    host, hits = schema_host
    schema = _form(
        "#/$defs/name", **{"$id": f"{host}/base/", "$defs": {"name": {"$ref": "s.json"}}}
    )

    problems = definition_problems(schema, {}, FLOW)
    with pytest.raises(SchemaUncompilable):
        compile_schema(schema)

    assert [p["pointer"] for p in problems] == ["/schema/$defs/name/$ref"]
    assert hits == []


def test_a_ref_inside_the_definition_still_works():
    schema = _form("#/$defs/name", **{"$defs": {"name": {"type": "string", "maxLength": 3}}})

    compiled = compile_schema(schema)

    assert definition_problems(schema, {}, FLOW) == []
    assert compiled.is_valid({"site": "昌平路"})
    assert not compiled.is_valid({"site": "昌平路八号"})
    assert [e.message for e in compiled.iter_errors({"site": "昌平路八号"})] == [
        "'昌平路八号' is too long"
    ]


def test_through_the_api_a_draft_with_an_outside_ref_saves_shows_its_problem_and_never_fetches(
    schema_host, people, api, client, app_version
):
    # given
    host, hits = schema_host
    designer = api(people["designer"])
    detail = designer.get("/api/apps/facade-test/").json()
    schema = detail["draft"]["schema"]
    schema["properties"]["address"] = {"title": "地址", "$ref": f"{host}/s.json"}

    # when: saved, previewed, submitted in the preview, published
    saved = designer.put(
        "/api/apps/facade-test/draft/",
        {**detail["draft"], "schema": schema, "revision": detail["revision"]},
        format="json",
    )
    client.force_login(people["designer"])
    preview = client.get("/builder/apps/facade-test/preview/")
    check = client.post(
        "/builder/apps/facade-test/preview/check/",
        {"data": {"address": "江宁路 8 号"}},
        content_type="application/json",
    )
    published = designer.post("/api/apps/facade-test/publish/", {}, format="json")

    # then: the draft is kept with its problem on the field; nothing was fetched
    assert saved.status_code == 200, saved.json()
    problem = {
        "pointer": "/schema/properties/address/$ref",
        "message": f"只能引用本定义内的内容（以 # 开头），不能引用“{host}/s.json”",
        "field": "address",
    }
    assert problem in saved.json()["problems"]
    assert preview.status_code == 200
    assert check.status_code == 409
    assert check.json()["code"] == "draft_uncompilable"
    assert "无法试提交" in check.json()["message"]
    assert published.status_code == 400
    assert LightApp.objects.get(key="facade-test").draft_schema["properties"]["address"] == {
        "title": "地址",
        "$ref": f"{host}/s.json",
    }
    assert LightAppVersion.objects.filter(app__key="facade-test").count() == 1
    assert hits == []
