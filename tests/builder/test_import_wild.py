"""导入 through the API: schemas as people write them, their notes, what the phone shows, and
what the published app refuses."""

import uuid

import pytest

from lightapps.definitions.dialect import fields_of
from lightapps.definitions.models import LightApp
from lightapps.submissions.models import Submission
from tests.fixtures import wild_schemas as W


def _shown(fields) -> list:
    """(name, kind, required, condition, read-only, offered choice labels) of each field."""
    out = []
    for f in fields:
        offered = [c["label"] for c in f.get("choices", []) if not c.get("disabled")]
        when = f["visible_when"]
        row = (f["name"], f["kind"], f["required"], when and when["in"], f["read_only"], offered)
        out.append(row)
        if f["kind"] == "group":
            out += [(f"{f['name']}.{r[0]}", *r[1:]) for r in _shown(f["fields"])]
    return out


CASES = {
    "playground": (
        W.PLAYGROUND_DEPENDENCIES,
        W.PLAYGROUND_UI,
        {"/schema/dependencies/credit_card": "填写“卡号”后必须填写“账单地址”：手机上不标必填，提交时检查"},
        [
            ("name", "text", True, None, False, []),
            ("pets", "radio", True, None, False, ["没有", "一只", "多只"]),
            ("credit_card", "number", False, None, False, []),
            ("billing_address", "text", False, None, False, []),
            ("age", "number", True, ["Yes: One"], False, []),
            ("get_rid", "boolean", True, ["Yes: More than one"], False, []),
        ],
    ),
    "definitions": (
        W.DRAFT7_DEFINITIONS,
        {},
        {
            "/schema/definitions/part/properties/parts/items/$ref": "递归引用 #/definitions/part：手机上无法填写这一层，提交时仍按原定义检查",
            "/schema/properties/missing/$ref": "找不到引用 #/definitions/nowhere：此项不接受任何填写，手机上不显示，请补上引用的定义",
        },
        [
            ("site", "group", True, None, False, []),
            ("site.road", "text", True, None, False, []),
            ("site.number", "text", False, None, False, []),
            ("owner_address", "group", False, None, False, []),
            ("owner_address.road", "text", True, None, False, []),
            ("owner_address.number", "text", False, None, False, []),
            ("structure", "group", False, None, False, []),
            ("structure.name", "text", False, None, False, []),
        ],
    ),
    "bundled": (
        W.BUNDLED,
        {},
        {"/schema/properties/remote/$ref": "找不到引用 https://other.example.org/unknown.json：此项不接受任何填写，手机上不显示，请补上引用的定义"},
        [
            ("level", "radio", True, None, False, ["1", "2", "3"]),
            ("contact", "group", False, None, False, []),
            ("contact.phone", "mobile", True, None, False, []),
        ],
    ),
    "choices": (
        W.CHOICES,
        W.CHOICES_UI,
        {
            "/ui/kind/ui:enumDisabled": "“类型”的选项 [\"c\"] 在手机上不可选（原表单中显示为灰色）；服务器仍接受这些值；[\"nope\"] 不是它的选项，已忽略",
            "/ui/tags/ui:enumNames": "“标签”的选项名称与选项个数不符，已不用",
            "/schema/properties/mixed/type": "“编号或数量”可为多种类型（string/number），手机上按文字填写",
        },
        [
            ("floors", "radio", False, None, False, ["1", "2", "3"]),
            ("note", "text", False, None, False, []),
            ("ok", "boolean", False, None, False, []),
            ("box", "radio", False, None, False, ['{"w": 1, "h": 2}', '{"w": 2, "h": 2}']),
            ("agree", "radio", False, None, False, ["yes"]),
            ("level", "radio", False, None, False, ["一级", "二级"]),
            ("color", "radio", False, None, False, ["红", "蓝"]),
            ("kind", "radio", False, None, False, ["丁", "乙", "甲"]),
            ("tags", "checkboxes", False, None, False, ["x", "y", "z"]),
            ("mixed", "text", False, None, False, []),
        ],
    ),
    "shapes": (
        W.SHAPES,
        W.SHAPES_UI,
        {
            "/schema/oneOf": "表单的 2 种填法按“填法”区分：已改为先选“填法”，再显示对应的字段",
            "/schema/properties/point/items": "“坐标”的各项按位置区分：手机上按顺序用逗号分隔填写，提交时逐项检查",
            "/schema/properties/pair/items": "“编号与数量”的各项按位置区分，手机上无法填写，提交时仍会检查",
            "/schema/properties/scan/format": "“扫描件”原为 data-url 文本（文件内容写在答案里），改为上传附件：答案为附件编号，原来的 data-url 答案不再有效",
            "/schema/properties/attachments/items/format": "“附件”原为 data-url 文本（文件内容写在答案里），改为上传附件：答案为附件编号，原来的 data-url 答案不再有效",
        },
        [
            ("intro", "note", False, None, False, []),
            ("point", "text", False, None, False, []),
            ("district", "text", False, None, True, []),
            ("form_no", "text", False, None, True, []),
            ("checked_on", "date", False, None, True, []),
            ("scan", "files", True, None, False, []),
            ("attachments", "files", False, None, False, []),
            ("inspector", "text", False, None, False, []),
            ("who", "radio", True, None, False, ["个人", "单位"]),
            ("id_no", "text", True, ["person"], False, []),
            ("credit", "text", False, ["company"], False, []),
        ],
    ),
}  # fmt: skip


@pytest.mark.parametrize("case", list(CASES))
def test_a_schema_from_the_wild_imports_with_its_notes_and_publishes(case, people, api):
    # given
    schema, ui, notes, shown = CASES[case]
    client = api(people["designer"])

    # when
    response = client.post(
        "/api/apps/import/",
        {"definition": {"schema": schema, "uiSchema": ui}, "key": f"wild-{case}"},
        format="json",
    )
    published = client.post(f"/api/apps/wild-{case}/publish/", {}, format="json")

    # then
    assert response.status_code == 201, response.json()
    body = response.json()
    assert {n["pointer"]: n["message"] for n in body["notes"]} == notes
    assert len(body["notes"]) == len(notes)  # each pointer once
    assert body["problems"] == []
    assert published.status_code == 201, published.json()
    version = published.json()
    assert _shown(fields_of(version["schema"], version["ui"])) == shown
    assert LightApp.objects.get(key=f"wild-{case}").name == schema["title"]


def _submit(client, key, data):
    body = {"id": str(uuid.uuid4()), "version": 1, "data": data}
    return client.post(f"/api/apps/{key}/submissions/", body, format="json")


def test_the_published_import_refuses_what_the_original_refused(people, api):
    # given: the playground schema, imported and published
    designer = api(people["designer"])
    designer.post(
        "/api/apps/import/",
        {"definition": {"schema": W.PLAYGROUND_DEPENDENCIES}, "key": "pets"},
        format="json",
    )
    designer.post("/api/apps/pets/publish/", {}, format="json")
    worker = api(people["owner"])

    # when
    no_age = _submit(worker, "pets", {"name": "王", "pets": "Yes: One"})
    card_alone = _submit(worker, "pets", {"name": "王", "pets": "No", "credit_card": 1})
    unknown_pets = _submit(worker, "pets", {"name": "王", "pets": "Many"})
    good = _submit(worker, "pets", {"name": "王", "pets": "Yes: One", "age": 3})

    # then
    assert no_age.status_code == 400
    assert no_age.json()["fields"] == {"age": ["请填写“宠物年龄”"]}
    assert card_alone.json()["fields"] == {"billing_address": ["请填写“账单地址”"]}
    assert unknown_pets.json()["fields"] == {"pets": ["“是否养宠物”不是可选的选项"]}
    assert good.status_code == 201
    assert Submission.objects.count() == 1


def test_a_read_only_answer_is_refused_when_changed(people, api):
    # given
    designer = api(people["designer"])
    definition = {
        "schema": {
            "title": "只读",
            "type": "object",
            "properties": {
                "district": {"type": "string", "title": "所在区", "default": "静安区", "readOnly": True},
                "form_no": {"type": "string", "title": "表单编号", "default": "A-01"},
                "secret": {"type": "string", "title": "内部编号", "readOnly": True},
            },
        },
        "uiSchema": {"form_no": {"ui:disabled": True}},
    }  # fmt: skip
    designer.post("/api/apps/import/", {"definition": definition, "key": "ro"}, format="json")
    designer.post("/api/apps/ro/publish/", {}, format="json")
    worker = api(people["owner"])

    # when
    changed = _submit(worker, "ro", {"district": "黄浦区", "form_no": "B-02", "secret": "x"})
    kept = _submit(worker, "ro", {"district": "静安区", "form_no": "A-01"})
    left_out = _submit(worker, "ro", {})

    # then
    assert changed.status_code == 400
    assert changed.json()["fields"] == {
        "district": ['“所在区”是只读项，不能修改（应为 "静安区"）'],
        "form_no": ['“表单编号”是只读项，不能修改（应为 "A-01"）'],
        "secret": ["“内部编号”是只读项，不能填写"],
    }
    assert kept.status_code == 201
    assert left_out.status_code == 201
    assert Submission.objects.count() == 2
