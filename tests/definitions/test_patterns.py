"""A designer's `pattern` runs in linear time on both validators; one that needs backtracking is
refused at publish with a Chinese message."""

import time

import pytest

from lightapps.definitions.dialect import definition_problems
from lightapps.definitions.dialect.validation import compile_schema

EVIL = ["^(a+)+$", "^(a|a)*$", "^(a|aa)+$", "^([a-z]+)*[0-9]$", "(x+x+)+y"]


def _schema(pattern: str) -> dict:
    return {"type": "object", "properties": {"a": {"type": "string", "pattern": pattern}}}


@pytest.mark.parametrize("pattern", EVIL)
def test_a_catastrophic_pattern_is_checked_in_linear_time_on_both_validators(pattern):
    # given
    compiled = compile_schema(_schema(pattern))
    answer = {"a": "a" * 5000 + "!"}
    # when
    started = time.monotonic()
    fast = compiled.is_valid(answer)
    detailed = [e.validator for e in compiled.iter_errors(answer)]
    # then
    assert time.monotonic() - started < 1
    assert (fast, detailed) == (False, ["pattern"])


def test_pattern_properties_are_matched_by_the_linear_engine_too():
    schema = {
        "type": "object",
        "patternProperties": {"^(a+)+$": {"type": "integer"}},
    }
    compiled = compile_schema(schema)
    assert not compiled.is_valid({"aaa": "x"})
    assert [e.validator for e in compiled.iter_errors({"aaa": "x", "a" * 5000 + "!": "y"})] == [
        "type"
    ]


@pytest.mark.parametrize(
    ("pattern", "publishable"),
    [
        ("^(a+)+$", True),  # catastrophic for a backtracking engine, linear here
        (r"^1[3-9]\d{9}$", True),
        ("^[\u4e00-\u9fa5]{2,8}$", True),
        (r"^(?=.*\d)\w+$", False),  # lookahead
        (r"(?<!x)y", False),  # lookbehind
        (r"(a)\1", False),  # back-reference
        ("(", False),
    ],
)
def test_patterns_that_need_backtracking_are_refused_at_publish(pattern, publishable):
    problems = definition_problems(_schema(pattern), {}, {"template": "none"})
    assert (problems == []) is publishable
    if not publishable:
        assert problems == [
            {
                "pointer": "/schema/properties/a/pattern",
                "message": f"格式规则“{pattern}”无法使用：不支持环视、反向引用等需要回溯的写法，或写法有误",
            }
        ]


def test_publish_lists_every_problem_when_one_is_a_meta_schema_error():
    # given a meta-schema error beside a bad pattern, a UI key naming no field and a wrong widget
    schema = {
        "type": "object",
        "properties": {
            "a": {"type": "strin"},
            "b": {"type": "string", "pattern": "(?=x)"},
            "n": {"type": "integer", "title": "数量"},
        },
    }
    ui = {"zz": {"ui:widget": "text"}, "n": {"ui:widget": "photos"}}
    # when
    pointers = {p["pointer"] for p in definition_problems(schema, ui, {"template": "none"})}
    # then
    assert pointers == {
        "/schema/properties/a/type",
        "/schema/properties/b/pattern",
        "/ui/zz",
        "/ui/n/ui:widget",
    }
