"""Publish checks of the form logic: each kind of problem, at its pointer, in Chinese."""

import pytest

from lightapps.definitions.dialect import definition_problems
from tests.fixtures.logic import LOGIC_SCHEMA, LOGIC_UI, logic_schema

FLOW = {"template": "none"}
NOTE = "/schema/properties/hazard_note/x-visibleIf"


def _problems(schema):
    return {(p["pointer"], p["message"]) for p in definition_problems(schema, LOGIC_UI, FLOW)}


def _note_shown_when(expr):
    return logic_schema(hazard_note={"type": "string", "title": "隐患说明", "x-visibleIf": expr})


def test_the_fixture_uses_every_keyword_and_is_publishable():
    assert _problems(LOGIC_SCHEMA) == set()


def _deep(levels):
    expr = {"var": "has_hazard"}
    for _ in range(levels):
        expr = {"!": [expr]}
    return expr


@pytest.mark.parametrize(
    ("expr", "message"),
    [
        ({"map": [{"var": "hazards"}, 1]}, "显示条件：不支持的运算“map”"),
        ({"==": [1, 2], "!=": [1, 2]}, "显示条件：表达式中的每个对象只能有一个运算"),
        ({"==": [{"var": "has_hazard"}]}, "显示条件：运算“==”的参数个数不对"),
        ({"==": [{"var": "nope"}, 1]}, "显示条件：引用了不存在的字段“nope”"),
        ({"!!": {"var": {"cat": ["site", "_name"]}}}, "显示条件：引用时须直接写字段名"),
        ({"==": [{"var": "kind"}, "触电"]}, "显示条件：不能引用重复组“隐患”中的字段“kind”"),
        ({">": [{"var": "hazard_count"}, "多"]}, "显示条件：“隐患数”是数字，不能与文字“多”比较"),
        (
            {"==": [{"var": "has_hazard"}, "是"]},
            "显示条件：“发现隐患”是“是或否”，不能与文字“是”比较",
        ),
        ({"in": ["电梯", {"var": "checks"}]}, "显示条件：“检查项”没有选项“电梯”"),
        ({"!!": {"var": "hazard_note"}}, "显示条件：“隐患说明”的显示条件不能引用它自己"),
        (_deep(14), "显示条件：表达式太复杂：最多嵌套 12 层、200 项"),
        ({"+": list(range(250))}, "显示条件：表达式太复杂：最多嵌套 12 层、200 项"),
    ],
)
def test_a_bad_condition_is_a_problem_at_its_pointer(expr, message):
    assert _problems(_note_shown_when(expr)) == {(NOTE, message.replace("引用时", "引用字段时"))}


def test_type_mismatches_of_computed_fields_and_custom_operations():
    schema = logic_schema(
        total_cost={
            "type": "number",
            "title": "费用合计",
            "x-compute": {"sum": [{"var": "hazards"}, "kind"]},
        },
        days={
            "type": "integer",
            "title": "工期（天）",
            "x-compute": {"date_diff": [{"var": "site_name"}, "明天"]},
        },
        risk={"type": "string", "title": "风险等级", "x-compute": {"count": {"var": "site_name"}}},
        hazard_count={
            "type": "array",
            "title": "隐患数",
            "x-compute": {"count": {"var": "hazards"}},
        },
    )
    assert _problems(schema) == {
        ("/schema/properties/total_cost/x-compute", "计算公式：“隐患”中没有可求和的数字字段“kind”"),
        (
            "/schema/properties/days/x-compute",
            "计算公式：“date_diff”只能用于日期字段，“工地名称”不是日期",
        ),
        (
            "/schema/properties/days/x-compute",
            "计算公式：“date_diff”只能计算日期（如 2026-11-23）之间的天数",
        ),
        (
            "/schema/properties/risk/x-compute",
            "计算公式：“count”只能用于重复组或多选，“工地名称”不是",
        ),
        (
            "/schema/properties/hazard_count/x-compute",
            "计算公式：计算字段“隐患数”只能是文字、数字、整数或是否",
        ),
    }


def test_a_computed_value_of_the_wrong_type_is_a_problem():
    schema = logic_schema(
        risk={
            "type": "string",
            "title": "风险等级",
            "x-compute": {"if": [{"var": "has_hazard"}, "高", 0]},
        },
        hazard_count={
            "type": "integer",
            "title": "隐患数",
            "x-compute": {">": [{"count": {"var": "hazards"}}, 0]},
        },
    )
    assert _problems(schema) == {
        (
            "/schema/properties/risk/x-compute",
            "计算公式：“风险等级”的类型是文字，计算结果却可能是数字",
        ),
        (
            "/schema/properties/hazard_count/x-compute",
            "计算公式：“隐患数”的类型是整数，计算结果却可能是是或否",
        ),
    }


def test_cycles_among_computed_fields_are_named_in_order():
    schema = logic_schema(
        hazard_count={
            "type": "integer",
            "title": "隐患数",
            "x-compute": {"+": [{"var": "total_cost"}, 1]},
        },
        total_cost={
            "type": "number",
            "title": "费用合计",
            "x-compute": {"*": [{"var": "hazard_count"}, 2]},
        },
    )
    assert _problems(schema) == {
        ("/schema/properties/hazard_count/x-compute", "表达式循环引用：隐患数 → 费用合计 → 隐患数")
    }


def test_a_group_item_reading_its_own_group_is_a_cycle_and_another_groups_field_is_refused():
    schema = logic_schema()
    items = schema["properties"]["hazards"]["items"]["properties"]
    items["label"]["x-compute"] = {"count": {"var": "hazards"}}
    items["label"]["type"] = "integer"
    schema["properties"]["visits"] = {
        "type": "array",
        "title": "复查",
        "items": {
            "type": "object",
            "properties": {
                "who": {"type": "string", "title": "复查人"},
                "what": {
                    "type": "string",
                    "title": "复查内容",
                    "x-visibleIf": {"==": [{"var": "voltage"}, 220]},
                },
            },
        },
    }
    assert _problems(schema) == {
        (
            "/schema/properties/hazards/items/properties/label/x-compute",
            "表达式循环引用：标签 → 标签",
        ),
        (
            "/schema/properties/visits/items/properties/what/x-visibleIf",
            "显示条件：不能引用重复组“隐患”中的字段“voltage”",
        ),
    }
