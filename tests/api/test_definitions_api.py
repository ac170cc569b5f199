"""Light apps through the API: listing, versions, drafts and publishing."""

import pytest
from rest_framework.test import APIClient

from lightapps.definitions.models import LightAppVersion


@pytest.fixture
def api():
    def make(person):
        client = APIClient()
        client.force_authenticate(person)
        return client

    return make


def test_apps_and_versions(app_version, people, api):
    client = api(people["owner"])
    apps = client.get("/api/apps/").json()["results"]
    assert [(a["key"], a["latest_version"]) for a in apps] == [("facade-test", 1)]
    versions = client.get("/api/apps/facade-test/versions/").json()["results"]
    assert [v["number"] for v in versions] == [1]
    assert versions[0]["schema"]["properties"]["address"]["title"] == "地址"
    assert (
        client.get("/api/apps/facade-test/versions/1/").json()["flow"]["template"] == "closed_loop"
    )
    assert client.get("/api/apps/facade-test/versions/9/").status_code == 404
    assert client.get("/api/apps/nope/").status_code == 404


def test_publish_needs_a_designer(app_version, people, api):
    response = api(people["supervisor"]).post("/api/apps/facade-test/publish/", {}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "not_allowed"
    assert LightAppVersion.objects.count() == 1


def test_broken_draft_saves_but_never_publishes(app_version, people, api):
    # given
    client = api(people["designer"])
    draft = {
        "schema": {"type": "object", "properties": {"a": {"type": "strin"}}},
        "ui": {"b": {"ui:widget": "text"}},
        "flow": {"template": "closed_loop", "open_when": {"field": "zzz", "equals": True}},
    }

    # when
    saved = client.put("/api/apps/facade-test/draft/", draft, format="json")
    published = client.post("/api/apps/facade-test/publish/", {}, format="json")

    # then
    assert saved.status_code == 200
    assert published.status_code == 400
    assert published.json()["code"] == "definition_invalid"
    assert "/schema/properties/a/type" in published.json()["fields"]
    assert LightAppVersion.objects.count() == 1


def test_publish_lists_every_problem_with_a_pointer(app_version, people, api):
    client = api(people["designer"])
    draft = {
        "schema": {"type": "object", "properties": {"a": {"type": "string"}}},
        "ui": {"b": {}, "a": {"ui:widget": "hologram"}, "ui:order": ["a", "c"]},
        "flow": {"template": "loop9", "open_when": {"field": "zzz", "equals": True}},
    }
    client.put("/api/apps/facade-test/draft/", draft, format="json")
    fields = client.post("/api/apps/facade-test/publish/", {}, format="json").json()["fields"]
    assert fields == {
        "/ui/b": ["界面定义中的“b”不是表单字段"],
        "/ui/a/ui:widget": ["不支持的控件“hologram”"],
        "/ui/ui:order": ["字段顺序中的“c”不是表单字段"],
        "/flow/template": ["未知的流程“loop9”"],
        "/flow/open_when/field": ["立案条件引用了不存在的字段“zzz”"],
    }


def test_publish_freezes_a_new_version(app_version, people, api):
    client = api(people["designer"])
    detail = client.get("/api/apps/facade-test/").json()
    draft = detail["draft"]
    draft["schema"]["properties"]["address"]["title"] = "楼栋地址"
    client.put("/api/apps/facade-test/draft/", draft, format="json")
    response = client.post("/api/apps/facade-test/publish/", {"note": "改标题"}, format="json")
    assert response.status_code == 201
    assert response.json()["number"] == 2
    app_version.refresh_from_db()
    assert app_version.schema["properties"]["address"]["title"] == "地址"


def test_openapi_schema_and_docs(client, people):
    client.force_login(people["designer"])
    assert client.get("/api/schema/").status_code == 200
    assert client.get("/api/docs/").status_code == 200


def test_org_units_are_scoped(tree, people, api):
    names = {
        u["name"]
        for u in api(people["supervisor"]).get("/api/org-units/?limit=100").json()["results"]
    }
    assert names == {"江宁路街道", "江宁路第1网格", "江宁路第2网格"}
