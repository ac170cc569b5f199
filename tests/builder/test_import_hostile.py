"""导入 of hostile files: each refused or noted precisely, never a 500, never stored half-done."""

import json
import time
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from lightapps.definitions.models import LightApp


@pytest.fixture
def designer(people):
    client = APIClient()
    client.force_authenticate(people["designer"])
    return client


def _import(client, definition, key="hostile"):
    return client.post("/api/apps/import/", {"definition": definition, "key": key}, format="json")


def _form(properties, **extra):
    return {"title": "恶意", "type": "object", "properties": properties, **extra}


def test_a_10_mb_body_is_refused_before_it_is_read(designer):
    # given
    body = json.dumps(
        {
            "definition": _form({"a": {"type": "string", "description": "x" * 10_000_000}}),
            "key": "big",
        }
    )

    # when
    response = designer.post("/api/apps/import/", body, content_type="application/json")

    # then
    assert response.status_code == 413
    assert response.json()["code"] == "too_large"
    assert not LightApp.objects.exists()


def test_a_10_mb_file_on_the_import_page_is_refused(people, client):
    # given
    client.force_login(people["designer"])
    upload = SimpleUploadedFile("big.json", b'{"title": "' + b"x" * 10_000_000 + b'"}')

    # when
    response = client.post("/builder/import/", {"key": "big", "file": upload})

    # then
    assert response.status_code == 400
    assert "文件超过 2 MB，无法导入" in response.content.decode()
    assert not LightApp.objects.exists()


def test_1000_levels_of_nesting_are_refused(designer):
    # given
    body = '{"key": "deep", "definition": ' + '{"not": ' * 1000 + "{}" + "}" * 1000 + "}"

    # when
    response = designer.post("/api/apps/import/", body, content_type="application/json")

    # then
    assert response.status_code == 400
    assert response.json()["code"] == "too_deep"
    assert not LightApp.objects.exists()


def test_references_that_double_at_each_level_are_refused(designer):
    # given: 2**30 copies once inlined ("billion laughs")
    defs = {
        f"l{i}": {"type": "array", "items": [{"$ref": f"#/$defs/l{i + 1}"}] * 2} for i in range(30)
    }
    defs["l30"] = {"type": "string"}
    schema = _form({"a": {"$ref": "#/$defs/l0"}}, **{"$defs": defs})

    # when
    started = time.monotonic()
    response = _import(designer, schema)

    # then
    assert time.monotonic() - started < 5
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "definition": ["展开引用后表单超过 20000 个节点，无法导入"]
    }
    assert not LightApp.objects.exists()


def test_a_ref_cycle_is_noted_and_refuses_every_answer(designer, people):
    # given
    schema = _form(
        {"name": {"type": "string", "title": "名称"}, "loop": {"$ref": "#/definitions/a", "title": "循环"}},
        definitions={"a": {"$ref": "#/definitions/b"}, "b": {"$ref": "#/definitions/a"}},
    )  # fmt: skip

    # when
    response = _import(designer, schema, key="cycle")
    published = designer.post("/api/apps/cycle/publish/", {}, format="json")
    worker = APIClient()
    worker.force_authenticate(people["owner"])
    sent = worker.post(
        "/api/apps/cycle/submissions/",
        {"id": str(uuid.uuid4()), "version": 1, "data": {"name": "x", "loop": "anything"}},
        format="json",
    )

    # then
    assert response.status_code == 201
    assert response.json()["notes"] == [
        {"pointer": "/schema/definitions/b/$ref", "message": "引用 #/definitions/a 形成循环，没有任何内容：此项不接受任何填写"}
    ]  # fmt: skip
    assert published.status_code == 201
    assert published.json()["ui"]["loop"] == {"ui:widget": "hidden"}
    assert sent.status_code == 400
    assert list(sent.json()["fields"]) == ["loop"]


def test_a_catastrophic_pattern_costs_nothing_and_a_lookaround_is_a_problem(designer, people):
    # given
    schema = _form(
        {
            "code": {"type": "string", "title": "编号", "pattern": "^(a+)+$"},
            "ref": {"type": "string", "title": "参考", "pattern": "^(?=x)x+$"},
        }
    )

    # when
    imported = _import(designer, schema, key="regex").json()
    slow = _form({"code": schema["properties"]["code"]})
    _import(designer, slow, key="slow")
    designer.post("/api/apps/slow/publish/", {}, format="json")
    worker = APIClient()
    worker.force_authenticate(people["owner"])
    started = time.monotonic()
    sent = worker.post(
        "/api/apps/slow/submissions/",
        {"id": str(uuid.uuid4()), "version": 1, "data": {"code": "a" * 5000 + "!"}},
        format="json",
    )

    # then
    assert [p["pointer"] for p in imported["problems"]] == ["/schema/properties/ref/pattern"]
    assert sent.status_code == 400
    assert sent.json()["fields"] == {"code": ["“编号”格式不正确"]}
    assert time.monotonic() - started < 2


def test_broken_unicode_is_refused(designer, people, client):
    # given
    lone = '{"key": "bad", "definition": {"title": "\\ud800", "type": "object", "properties": {}}}'
    not_utf8 = b'{"key": "bad", "definition": {"title": "' + "巡查".encode("gbk") + b'"}}'
    client.force_login(people["designer"])
    upload = SimpleUploadedFile("gbk.json", '{"title": "巡查记录"}'.encode("gbk"))

    # when
    surrogate = designer.post("/api/apps/import/", lone, content_type="application/json")
    bytes_ = designer.post("/api/apps/import/", not_utf8, content_type="application/json")
    page = client.post("/builder/import/", {"key": "bad", "file": upload})

    # then
    assert surrogate.status_code == 400 and surrogate.json()["code"] == "bad_text"
    assert surrogate.json()["fields"] == {"definition.title": ["含有无法保存的字符（U+D800）"]}
    assert bytes_.status_code == 400 and bytes_.json()["code"] == "parse_error"
    assert page.status_code == 400
    assert (
        "文件不是 UTF-8 编码（第 14 个字节起无法读取），请另存为 UTF-8 后再导入"
        in page.content.decode()
    )
    assert not LightApp.objects.exists()
