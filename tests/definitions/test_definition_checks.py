"""Publishing checks: every problem of a broken definition, each with a JSON pointer."""

from lightapps.definitions.dialect import definition_problems

FLOW = {"template": "none"}


def _problems(schema, ui=None):
    return {(p["pointer"], p["message"]) for p in definition_problems(schema, ui or {}, FLOW)}


def test_every_meta_schema_error_is_listed_at_its_pointer():
    # given
    schema = {
        "type": "object",
        "properties": {"a": {"type": "strin"}, "b": {"minLength": -1}},
    }

    # when
    found = {p for p, _m in _problems(schema)}

    # then
    assert found == {"/schema/properties/a/type", "/schema/properties/b/minLength"}


def test_a_regex_the_validator_cannot_compile_is_a_problem():
    # when
    problems = _problems(
        {"type": "object", "properties": {"a": {"type": "string", "pattern": "("}}}
    )

    # then
    assert problems == {
        (
            "/schema/properties/a/pattern",
            "格式规则“(”无法使用：不支持环视、反向引用等需要回溯的写法，或写法有误",
        )
    }


def test_ui_problems_inside_groups_and_widgets_on_the_wrong_type():
    # given
    schema = {
        "type": "object",
        "properties": {
            "n": {"type": "integer", "title": "数量"},
            "rows": {
                "type": "array",
                "items": {"type": "object", "properties": {"x": {"type": "string"}}},
            },
        },
    }
    ui = {
        "n": {"ui:widget": "photos"},
        "rows": {"items": {"y": {}, "x": {"ui:widget": "hologram"}}},
        "ui:order": ["n", "zz"],
    }

    # when
    problems = _problems(schema, ui)

    # then
    assert problems == {
        ("/ui/n/ui:widget", "控件“photos”不能用于类型为 integer 的字段“数量”"),
        ("/ui/rows/items/y", "界面定义中的“y”不是表单字段"),
        ("/ui/rows/items/x/ui:widget", "不支持的控件“hologram”"),
        ("/ui/ui:order/1", "字段顺序中的“zz”不是表单字段"),
    }


def test_choice_mismatches_are_problems():
    # given
    schema = {
        "type": "object",
        "properties": {
            "kind": {
                "type": "string",
                "title": "类型",
                "enum": ["a", "b", "a"],
                "enumNames": ["甲", "乙"],
                "default": "z",
            },
            "pick": {"type": "array", "title": "多选", "items": {"type": "string"}},
        },
    }

    # when
    problems = _problems(schema, {"pick": {"ui:widget": "checkboxes"}})

    # then
    assert problems == {
        ("/schema/properties/kind/enumNames", "“类型”有 3 个选项，却有 2 个选项名称"),
        ("/schema/properties/kind", "“类型”有重复的选项"),
        ("/schema/properties/kind/default", "“类型”的默认值不是它的选项"),
        ("/schema/properties/pick", "“多选”没有可选的选项"),
    }


def test_conditions_naming_a_missing_field_or_never_holding_are_problems():
    # given
    schema = {
        "type": "object",
        "properties": {
            "found": {"type": "boolean", "title": "是否发现"},
            "level": {"type": "string", "title": "等级", "enum": ["low", "high"]},
        },
        "allOf": [
            {"if": {"properties": {"gone": {"const": True}}}, "then": {}},
            {"if": {"properties": {"found": {"const": "yes"}}}, "then": {}},
            {"if": {"properties": {"level": {"enum": ["mid"]}}}, "then": {}},
            {"if": {"properties": {"level": {"const": "high"}}}, "then": {}},
            {"if": {"required": ["found"]}, "then": {}},
        ],
    }

    # when
    problems = _problems(schema)

    # then
    assert problems == {
        ("/schema/allOf/0/if/properties/gone", "条件引用了不存在的字段“gone”"),
        ("/schema/allOf/1/if/properties/found", "条件永远不会成立：“是否发现”不可能取这些值"),
        ("/schema/allOf/2/if/properties/level", "条件永远不会成立：“等级”不可能取这些值"),
        (
            "/schema/allOf/4/if",
            "条件只支持“某个字段等于（或属于、包含）某些值”的写法，手机上无法判断此条件",
        ),
    }


def test_attachment_fields_must_hold_attachment_ids():
    # when
    problems = _problems(
        {"type": "object", "properties": {"p": {"type": "array", "title": "照片"}}},
        {"p": {"ui:widget": "photos"}},
    )

    # then
    assert problems == {
        ("/schema/properties/p/items", "“照片”应为附件编号的列表（items 的 format 为 uuid）")
    }
