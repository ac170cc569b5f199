"""A section heading shown only when… takes its section with it, on the server as on the phone."""

from types import SimpleNamespace

from lightapps.definitions.dialect import definition_problems, fields_of, submission_errors
from lightapps.definitions.dialect.fields import sections_applied

FOUND = {"==": [{"var": "found"}, True]}
SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "type": "object",
    "properties": {
        "site": {"type": "string", "title": "工地名称"},
        "found": {"type": "boolean", "title": "是否发现隐患"},
        "details": {"type": "null", "readOnly": True, "title": "隐患详情", "x-visibleIf": FOUND},
        "desc": {"type": "string", "title": "情况描述"},
        "floors": {
            "type": "integer",
            "title": "涉及楼层数",
            "x-visibleIf": {">": [{"var": "site"}, ""]},
        },
        "other": {"type": "null", "readOnly": True, "title": "其他"},
        "remark": {"type": "string", "title": "备注"},
    },
    "required": ["site", "desc"],
    "unevaluatedProperties": False,
}
UI = {
    "ui:order": ["site", "found", "details", "desc", "floors", "other", "remark"],
    "details": {"ui:widget": "heading"},
    "other": {"ui:widget": "heading"},
}


def _errors(data):
    version = SimpleNamespace(schema=SCHEMA, ui=UI, published_at=None, pk=None)
    return submission_errors(version, data)


def test_the_fields_of_a_conditional_section_take_its_condition_until_the_next_heading():
    applied = sections_applied(SCHEMA, UI)
    shown = {f["name"]: f["visible_if"] for f in fields_of(SCHEMA, UI)}

    assert applied["properties"]["desc"]["x-visibleIf"] == FOUND
    assert applied["properties"]["floors"]["x-visibleIf"] == {
        "and": [FOUND, {">": [{"var": "site"}, ""]}]
    }
    assert "x-visibleIf" not in applied["properties"]["remark"]
    assert shown["desc"] == FOUND and shown["remark"] is None
    assert "x-visibleIf" not in SCHEMA["properties"]["desc"]  # the definition is not changed
    assert definition_problems(SCHEMA, UI, {"template": "none"}) == []


def test_a_hidden_section_needs_no_answers_and_refuses_them():
    assert _errors({"site": "昌平路工地", "found": False}) == {}
    assert _errors({"site": "昌平路工地", "found": False, "desc": "围挡破损"}) == {
        "desc": ["按当前的填写，不应填写“情况描述”"]
    }
    assert _errors({"site": "昌平路工地", "found": True}) == {"desc": ["请填写“情况描述”"]}
    assert _errors({"site": "昌平路工地", "found": True, "desc": "围挡破损", "floors": 2}) == {}
    assert _errors({"site": "昌平路工地", "found": False, "remark": "无"}) == {}


def test_without_an_order_the_sections_follow_the_schema_as_written():
    ui = {k: v for k, v in UI.items() if k != "ui:order"}
    version = SimpleNamespace(schema=SCHEMA, ui=ui, published_at=None, pk=None)

    assert submission_errors(version, {"site": "x", "found": False}) == {}
    assert sections_applied(SCHEMA, ui)["properties"]["desc"]["x-visibleIf"] == FOUND


def test_a_section_condition_on_a_field_of_its_own_section_is_a_problem():
    ui = {**UI, "ui:order": ["site", "details", "found", "desc", "floors", "other", "remark"]}

    problems = definition_problems(SCHEMA, ui, {"template": "none"})

    assert problems == [
        {
            "pointer": "/schema/properties/details/x-visibleIf",
            "message": "分节“隐患详情”的显示条件用到了本节的字段“是否发现隐患”："
            "本节隐藏时这个字段也隐藏，请把它移到分节标题之前",
        }
    ]


def test_a_hidden_field_in_the_section_is_named_by_its_key_not_a_crash():
    order = ["site", "details", "found", "desc", "floors", "other", "remark"]
    ui = {**UI, "ui:order": order, "found": {"ui:widget": "hidden"}}

    problems = definition_problems(SCHEMA, ui, {"template": "none"})

    assert [p["pointer"] for p in problems] == ["/schema/properties/details/x-visibleIf"]
    assert "“found”" in problems[0]["message"]
