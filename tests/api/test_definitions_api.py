"""Light apps through the API: listing, versions, drafts and publishing."""

from lightapps.definitions.models import LightAppVersion


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
        "revision": 1,
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
        "revision": 1,
    }
    client.put("/api/apps/facade-test/draft/", draft, format="json")
    fields = client.post("/api/apps/facade-test/publish/", {}, format="json").json()["fields"]
    assert fields == {
        "/ui/b": ["界面定义中的“b”不是表单字段"],
        "/ui/a/ui:widget": ["不支持的控件“hologram”"],
        "/ui/ui:order/1": ["字段顺序中的“c”不是表单字段"],
        "/flow/template": ["未知的流程“loop9”"],
        "/flow/open_when/field": ["立案条件引用了不存在的字段“zzz”"],
    }


def test_publish_freezes_a_new_version(app_version, people, api):
    client = api(people["designer"])
    detail = client.get("/api/apps/facade-test/").json()
    draft = {**detail["draft"], "revision": detail["revision"]}
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


# --- diff, export, import ----------------------------------------------------------------------

RJSF_SCHEMA = {
    "$schema": "http://json-schema.org/draft-07/schema#",
    "title": "井盖巡查",
    "description": "从其他系统导入的表单",
    "type": "object",
    "required": ["road", "cover"],
    "definitions": {
        "cover": {
            "type": "object",
            "title": "井盖",
            "properties": {
                "kind": {"type": "string", "title": "类别", "enum": ["rain", "sewage"]},
                "broken": {"type": "boolean", "title": "是否破损", "default": False},
            },
            "required": ["kind"],
        }
    },
    "properties": {
        "road": {"type": "string", "title": "道路", "examples": ["延安中路"]},
        "lanes": {"type": ["integer", "null"], "title": "车道数", "minimum": 1},
        "level": {
            "title": "等级",
            "oneOf": [{"const": 1, "title": "一级"}, {"const": 2, "title": "二级"}],
        },
        "cover": {"$ref": "#/definitions/cover"},
        "others": {"type": "array", "title": "其他井盖", "items": {"$ref": "#/definitions/cover"}},
        "tags": {"type": "array", "title": "标签", "items": {"type": "string"}},
        "extra": {"anyOf": [{"type": "string"}, {"type": "number"}], "title": "附加"},
    },
}
RJSF_UI = {
    "ui:order": ["road", "*"],
    "road": {"ui:autofocus": True},
    "level": {"ui:widget": "radio"},
    "lanes": {"ui:widget": "updown"},
    "extra": {"ui:widget": "colorPicker"},
}


def test_diff_between_the_latest_version_and_the_draft(app_version, people, api):
    # given: the draft renames a field, adds one, removes one and changes a choice
    client = api(people["designer"])
    detail = client.get("/api/apps/facade-test/").json()
    draft = {**detail["draft"], "revision": detail["revision"]}
    props = draft["schema"]["properties"]
    props["address"]["title"] = "楼栋地址"
    props["remark"] = {"type": "string", "title": "备注"}
    del props["checked_on"]
    kind = draft["schema"]["allOf"][0]["then"]["properties"]["hazards"]["items"]["properties"]
    kind["kind"]["enum"] = ["tile", "window", "sign"]
    kind["kind"]["enumNames"] = ["外墙脱落", "窗户松动", "招牌"]
    client.put("/api/apps/facade-test/draft/", draft, format="json")

    # when
    diff = client.get("/api/apps/facade-test/diff/").json()

    # then
    assert diff["from"] == "1" and diff["to"] == "draft"
    assert diff["added"] == [{"path": "remark", "title": "备注", "kind": "text"}]
    assert diff["removed"] == [{"path": "checked_on", "title": "检查日期", "kind": "date"}]
    assert diff["changed"] == [
        {
            "path": "address",
            "title": "楼栋地址",
            "kind": "text",
            "changes": [{"what": "标题", "from": "地址", "to": "楼栋地址"}],
        },
        {
            "path": "hazards[].kind",
            "title": "隐患类型",
            "kind": "select",
            "changes": [
                {
                    "what": "选项",
                    "added": [{"value": "sign", "label": "招牌"}],
                    "removed": [{"value": "ac", "label": "空调外机"}],
                }
            ],
        },
    ]
    assert client.get("/api/apps/facade-test/diff/?from=1&to=1").json()["same"] is True
    assert client.get("/api/apps/facade-test/diff/?from=7").status_code == 404


def test_export_then_import_gives_the_identical_definition(app_version, people, api):
    # given
    client = api(people["designer"])
    exported = client.get("/api/apps/facade-test/export/?v=1")

    # when
    response = client.post(
        "/api/apps/import/",
        {"definition": exported.json(), "key": "facade-copy"},
        format="json",
    )
    again = client.get("/api/apps/facade-copy/export/").json()

    # then
    assert exported["Content-Disposition"] == 'attachment; filename="facade-test-v1.json"'
    assert response.status_code == 201
    assert response.json() == {"key": "facade-copy", "notes": [], "problems": []}
    assert {k: again[k] for k in ("schema", "ui", "flow", "name", "description")} == {
        k: exported.json()[k] for k in ("schema", "ui", "flow", "name", "description")
    }


def test_an_rjsf_schema_imports_with_notes_and_publishes(app_version, people, api):
    # given
    client = api(people["designer"])

    # when
    response = client.post(
        "/api/apps/import/",
        {"definition": {"schema": RJSF_SCHEMA, "uiSchema": RJSF_UI}, "key": "manholes"},
        format="json",
    )
    published = client.post("/api/apps/manholes/publish/", {}, format="json")

    # then
    assert response.status_code == 201
    assert response.json()["notes"] == [
        {"pointer": "/ui/extra/ui:widget", "message": "不支持的控件“colorPicker”，改用默认控件"},
        {"pointer": "/schema/properties/extra/anyOf", "message": "“附加”有多种填法可选，表单无法显示，提交时仍会检查"},
    ]  # fmt: skip
    assert response.json()["problems"] == []
    assert published.status_code == 201
    version = published.json()
    assert version["schema"]["properties"]["cover"]["properties"]["kind"]["enum"] == [
        "rain",
        "sewage",
    ]
    assert version["ui"]["lanes"] == {"ui:widget": "integer"}
    assert version["ui"]["road"]["ui:placeholder"] == "如：延安中路"


def test_import_needs_a_designer_and_a_free_key(app_version, people, api):
    # given
    definition = {"schema": RJSF_SCHEMA}

    # when
    outsider = api(people["owner"]).post(
        "/api/apps/import/", {"definition": definition, "key": "x-1"}, format="json"
    )
    taken = api(people["designer"]).post(
        "/api/apps/import/", {"definition": definition, "key": "facade-test"}, format="json"
    )
    not_json_object = api(people["designer"]).post(
        "/api/apps/import/", {"definition": [1, 2], "key": "x-2"}, format="json"
    )

    # then
    assert outsider.status_code == 403 and outsider.json()["code"] == "not_allowed"
    assert taken.status_code == 400
    assert taken.json()["fields"] == {"key": ["标识“facade-test”已被使用"]}
    assert not_json_object.json()["fields"] == {"definition": ["导入的文件必须是 JSON 对象"]}
    from lightapps.definitions.models import LightApp

    assert list(LightApp.objects.values_list("key", flat=True)) == ["facade-test"]
