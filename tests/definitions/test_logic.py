"""The server's JSON Logic: every operator the dialect accepts, the custom ones, the bounds and
the variables an expression reads. The values expected are json-logic-js's (the phone's)."""

import math

import pytest

from lightapps.definitions.dialect import OPERATORS, logic_apply, logic_vars
from lightapps.definitions.dialect.jsvalues import number_to_string, parse_float, to_number
from lightapps.definitions.dialect.logic import (
    MAX_DEPTH,
    MAX_NODES,
    LogicTooBig,
    answer_value,
    item_scope,
)

DATA = {
    "n": 3,
    "s": "abc",
    "yes": True,
    "checks": ["围挡", "用电"],
    "hazards": [{"cost": 2}, {"cost": 3.5}, {"cost": "9"}, {}],
    "start": "2026-01-30",
    "end": "2026-03-01",
    "empty": "",
}


@pytest.mark.parametrize(
    ("expr", "expected"),
    [
        ({"var": "n"}, 3),
        ({"var": "nothing"}, None),
        ({"var": ["nothing", 7]}, 7),
        ({"missing": ["n", "nothing", "empty"]}, ["nothing", "empty"]),
        ({"==": [{"var": "n"}, "3"]}, True),  # loose, as JavaScript's ==
        ({"==": [1, True]}, True),
        ({"==": [None, 0]}, False),
        ({"==": [[1], 1]}, True),
        ({"!=": [{"var": "s"}, "abc"]}, False),
        ({"in": ["用电", {"var": "checks"}]}, True),  # 已勾选
        ({"in": [{"var": "s"}, ["x", "abc"]]}, True),  # 是其中之一
        ({"in": [1, [True]]}, False),  # strict inside an array (Python's `in` says True)
        ({"in": ["b", "abc"]}, True),  # a substring of a text
        ({"in": ["a", None]}, False),
        ({">": [{"var": "n"}, 2]}, True),
        ({">=": [{"var": "n"}, "3"]}, True),
        ({"<": [None, 1]}, True),  # null is 0
        ({"<": ["a", None]}, False),  # NaN: neither
        ({"<=": ["a", None]}, False),
        ({"<": ["B", "a"]}, True),  # text by code units
        ({"<": [1, 2, 3]}, True),  # between
        ({"<=": [1, 1, 0]}, False),
        ({"!!": [{"var": "s"}]}, True),  # 已填写
        ({"!!": [{"var": "empty"}]}, False),
        ({"!!": [[]]}, False),
        ({"!": ["0"]}, False),  # "0" is a non-empty text: truthy
        ({"and": [True, 0, 1]}, 0),
        ({"or": [0, "", "x"]}, "x"),
        ({"if": [False, 1, None, 2, 3]}, 3),
        ({"if": [False, 1]}, None),
        ({"+": [1, "2", 0.5]}, 3.5),
        ({"+": ["1px", 1]}, 2),  # parseFloat
        ({"-": [5]}, -5),
        ({"-": ["5", None]}, 5),
        ({"*": ["2", 3]}, 6),
        ({"*": ["2"]}, "2"),  # one argument comes back as it is
        ({"/": [1, 4]}, 0.25),
        ({"cat": ["a", 1.5, None, True, [1, [2, None]]]}, "a1.5true1,2,"),
        ({"cat": [0.1, "|", 1e21, "|", 1e-7]}, "0.1|1e+21|1e-7"),
        ({"count": {"var": "hazards"}}, 4),
        ({"count": {"var": "nothing"}}, 0),
        ({"count": {"var": "s"}}, 0),
        ({"sum": [{"var": "hazards"}, "cost"]}, 5.5),  # text and missing are skipped
        ({"sum": [[1, 2, "3", None]]}, 3),
        ({"sum": [{"var": "nothing"}, "cost"]}, 0),
        ({"date_diff": [{"var": "start"}, {"var": "end"}]}, 30),
        ({"date_diff": [{"var": "end"}, {"var": "start"}]}, -30),
        ({"date_diff": ["2026-11-23T09:30:00+08:00", "2026-11-24"]}, 1),
        ({"date_diff": ["2026-02-30", "2026-03-01"]}, None),
        ({"date_diff": [{"var": "nothing"}, "2026-03-01"]}, None),
    ],
)
def test_each_operator_gives_what_the_phone_gives(expr, expected):
    assert logic_apply(expr, DATA) == expected


def test_division_by_zero_is_infinity_not_an_error():
    assert logic_apply({"/": [1, 0]}, {}) == math.inf
    assert logic_apply({"/": [-1, 0]}, {}) == -math.inf
    assert math.isnan(logic_apply({"/": [0, 0]}, {}))
    assert math.isnan(logic_apply({"+": ["x", 1]}, {}))


def test_javascript_conversions():
    assert [number_to_string(x) for x in (0.1 + 0.2, 1e16, 1e21, 5e-7, 1e-6, -0.0, 100.0)] == [
        "0.30000000000000004",
        "10000000000000000",
        "1e+21",
        "5e-7",
        "0.000001",
        "0",
        "100",
    ]
    assert to_number(" 12 ") == 12 and to_number("") == 0 and to_number("0x10") == 16
    assert math.isnan(to_number("1_000")) and math.isnan(to_number("12abc"))
    assert parse_float("12abc") == 12 and parse_float(".5e1x") == 5 and math.isnan(parse_float(""))


def test_computed_results_become_answers():
    assert answer_value(3.0) == 3 and isinstance(answer_value(3.0), int)
    assert answer_value(math.nan) is None and answer_value(math.inf) is None
    assert answer_value(-0.0) == 0 and answer_value(2.5) == 2.5 and answer_value("x") == "x"


def test_inside_a_group_item_its_own_fields_come_first():
    top = {"kind": "top", "site": "A"}
    scope = item_scope(top, {"cost": 2}, ["kind", "cost"])
    assert scope == {"site": "A", "cost": 2}  # the item's unanswered `kind` is not the top's
    assert (
        logic_apply({"cat": [{"var": "site"}, {"var": "kind"}]}, scope) == "A"
    )  # null joins as ""


def test_operators_outside_the_dialect_and_expressions_too_big_are_never_run():
    with pytest.raises(LogicTooBig):
        logic_apply({"map": [[1, 2], {"var": ""}]}, {})
    deep: object = 1
    for _ in range(MAX_DEPTH):
        deep = {"!": [deep]}
    with pytest.raises(LogicTooBig):
        logic_apply(deep, {})
    with pytest.raises(LogicTooBig):
        logic_apply({"+": list(range(MAX_NODES + 1))}, {})
    assert "map" not in OPERATORS and {"count", "sum", "date_diff"} <= OPERATORS.keys()


def test_the_fields_an_expression_reads_are_listed_once_in_order():
    expr = {
        "if": [
            {">=": [{"count": {"var": "hazards"}}, 3]},
            {"cat": [{"var": "site"}, {"var": ["kind", {"var": "fallback"}]}]},
            {"missing": ["site", "owner"]},
        ]
    }
    assert logic_vars(expr) == ["hazards", "site", "kind", "fallback", "owner"]
    assert logic_vars({"var": {"cat": ["a", "b"]}}) == [""]
    assert logic_vars(True) == []
