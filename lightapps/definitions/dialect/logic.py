"""逻辑: JSON Logic expressions of a form (x-visibleIf, x-requiredIf, x-compute), evaluated on the
server exactly as json-logic-js evaluates them on the phone (static/mobile/logic.js).

The engine is panzi-json-logic's `jsonLogic` (PyPI): it walks the expression and runs `if`,
`and`, `or`. Every operator it calls comes from OPERATIONS below, built on the ports of
JavaScript's value rules in jsvalues.py, because Python's own rules differ from the phone's
(`1 == True`, `str(0.5 + 0.25)`, `1 / 0`, `None < 1`). The custom operations `count`, `sum` and
`date_diff` are defined here and in logic.js with the same semantics; the browser test
tests/browser/test_logic_agreement.py holds the two sides to the same answers.

Evaluation is bounded before it starts: an expression deeper than MAX_DEPTH or with more than
MAX_NODES nodes is refused at publish (logic_checks.py) and, should one reach the evaluator
anyway, `logic_apply` raises LogicTooBig instead of running it. No operator loops over anything
but the answers (no map/reduce/filter), so the work is linear in expression size × answers.
"""

import math
import re
from datetime import date
from typing import Any

from json_logic import jsonLogic

from . import jsvalues as js
from .jsvalues import UNDEFINED

MAX_DEPTH = 12
MAX_NODES = 200

# Operators the dialect accepts (the builder writes these), with (min, max) argument counts.
OPERATORS: dict[str, tuple[int, int | None]] = {
    "var": (1, 2),
    "missing": (1, None),
    "==": (2, 2),
    "!=": (2, 2),
    "in": (2, 2),
    ">": (2, 2),
    ">=": (2, 2),
    "<": (2, 3),
    "<=": (2, 3),
    "!!": (1, 1),
    "!": (1, 1),
    "and": (1, None),
    "or": (1, None),
    "if": (1, None),
    "+": (1, None),
    "-": (1, 2),
    "*": (1, None),
    "/": (2, 2),
    "cat": (1, None),
    "count": (1, 1),
    "sum": (1, 2),
    "date_diff": (2, 2),
}
CUSTOM_OPERATORS = ("count", "sum", "date_diff")


class LogicTooBig(ValueError):
    """An expression over the bounds, or with an operator outside OPERATORS: never evaluated."""


def _arg(args: tuple, i: int) -> Any:
    return args[i] if len(args) > i else UNDEFINED


def _var(data: Any, *args: Any) -> Any:
    """json-logic-js `var`: a dotted path; a missing step gives the default (or null)."""
    key = _arg(args, 0)
    not_found = None if len(args) < 2 else args[1]
    if key is UNDEFINED or key == "" or key is None:
        return data
    for prop in js.to_string(key).split("."):
        if data is None:
            return not_found
        if isinstance(data, dict):
            if prop not in data:
                return not_found
            data = data[prop]
        elif isinstance(data, (list, str)):
            if prop == "length":
                data = len(data) if isinstance(data, list) else len(js._utf16(data)) // 2
            elif re.fullmatch(r"0|[1-9][0-9]*", prop) and int(prop) < len(data):
                data = data[int(prop)]
            else:
                return not_found
        else:
            return not_found
    return data


def _missing(data: Any, *args: Any) -> list:
    keys = args[0] if args and isinstance(args[0], list) else list(args)
    return [k for k in keys if _var(data, k) is None or _var(data, k) == ""]


def _in(_data: Any, *args: Any) -> bool:
    needle, haystack = _arg(args, 0), _arg(args, 1)
    if not js.truthy(haystack) and not isinstance(haystack, list):
        return False
    if isinstance(haystack, list):
        return any(js.strict_equals(needle, item) for item in haystack)
    if isinstance(haystack, str):
        return js.to_string(needle) in haystack
    return False


def _plus(_data: Any, *args: Any) -> float:
    total = 0.0
    for arg in args:
        total = js.parse_float(total) + js.parse_float(arg)
    return total


def _times(_data: Any, *args: Any) -> Any:
    # Array.prototype.reduce without an initial value: one argument comes back as it is.
    result = args[0]
    for arg in args[1:]:
        result = js.parse_float(result) * js.parse_float(arg)
    return result


def _minus(_data: Any, *args: Any) -> float:
    if len(args) < 2:
        return -js.to_number(_arg(args, 0))
    return js.to_number(args[0]) - js.to_number(args[1])


def _count(_data: Any, *args: Any) -> int:
    """count: the number of items of an array (a repeated group, a multiple choice), else 0."""
    value = _arg(args, 0)
    return len(value) if isinstance(value, list) else 0


def _finite(value: Any) -> bool:
    return js.js_type(value) == "number" and math.isfinite(value)


def _sum(_data: Any, *args: Any) -> float:
    """sum: [items, "field"] adds item[field] over a group's items; [items] adds the items.
    Only values that are finite numbers count; anything else (missing, text) is skipped."""
    items, key = _arg(args, 0), _arg(args, 1)
    if not isinstance(items, list):
        return 0
    total = 0
    for item in items:
        if key is not UNDEFINED:
            item = item.get(js.to_string(key)) if isinstance(item, dict) else None
        if _finite(item):
            total = float(total) + float(item)
    return total


_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")


def parse_day(value: Any) -> date | None:
    """A YYYY-MM-DD date (also the start of a date-time), or None."""
    if not isinstance(value, str):
        return None
    found = _DATE.match(value)
    if not found:
        return None
    try:
        return date(*(int(g) for g in found.groups()))
    except ValueError:
        return None


def _date_diff(_data: Any, *args: Any) -> int | None:
    """date_diff: [start, end] = days from start to end (negative when end is earlier), or
    null unless both are YYYY-MM-DD dates (a date-time counts by its date as written)."""
    start, end = parse_day(_arg(args, 0)), parse_day(_arg(args, 1))
    if start is None or end is None:
        return None
    return (end - start).days


OPERATIONS = {
    "var": _var,
    "missing": _missing,
    "==": lambda _d, *a: js.loose_equals(_arg(a, 0), _arg(a, 1)),
    "!=": lambda _d, *a: not js.loose_equals(_arg(a, 0), _arg(a, 1)),
    "in": _in,
    "<": lambda _d, *a: (
        js.lt(a[0], a[1]) and js.lt(a[1], a[2]) if len(a) > 2 else js.lt(_arg(a, 0), _arg(a, 1))
    ),
    "<=": lambda _d, *a: (
        js.le(a[0], a[1]) and js.le(a[1], a[2]) if len(a) > 2 else js.le(_arg(a, 0), _arg(a, 1))
    ),
    ">": lambda _d, *a: js.lt(_arg(a, 1), _arg(a, 0)),
    ">=": lambda _d, *a: js.le(_arg(a, 1), _arg(a, 0)),
    "!!": lambda _d, *a: js.truthy(_arg(a, 0)),
    "!": lambda _d, *a: not js.truthy(_arg(a, 0)),
    "+": _plus,
    "-": _minus,
    "*": _times,
    "/": lambda _d, *a: js.divide(js.to_number(_arg(a, 0)), js.to_number(_arg(a, 1))),
    "cat": lambda _d, *a: js.join(list(a), ""),
    "count": _count,
    "sum": _sum,
    "date_diff": _date_diff,
}


def logic_size(expr: Any) -> tuple[int, int, set[str]]:
    """(depth, nodes, operators used) of an expression, walked without recursion."""
    depth, nodes, ops = 0, 0, set()
    stack = [(expr, 1)]
    while stack:
        node, level = stack.pop()
        nodes += 1
        depth = max(depth, level)
        if nodes > MAX_NODES * 4:  # far past the bound: stop counting
            break
        if isinstance(node, list):
            stack.extend((child, level + 1) for child in node)
        elif isinstance(node, dict):
            if len(node) == 1:
                ops.add(next(iter(node)))
            stack.extend((child, level + 1) for child in node.values())
    return depth, nodes, ops


def logic_apply(expr: Any, data: Any) -> Any:
    """The value of an expression over data, as json-logic-js would give it on the phone."""
    depth, nodes, ops = logic_size(expr)
    if depth > MAX_DEPTH or nodes > MAX_NODES or not ops <= OPERATORS.keys():
        raise LogicTooBig
    return jsonLogic(expr, data, OPERATIONS)


def logic_vars(expr: Any) -> list[str]:
    """The names an expression reads with `var` (and `missing`), in first-seen order, e.g.
    ["hazards", "found"]; a `var` whose name is computed (not a literal) is listed as ""."""
    found: dict[str, None] = {}
    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, dict) or len(node) != 1:
            continue
        ((op, args),) = node.items()
        if op in {"var", "missing"}:
            names = args if isinstance(args, list) else [args]
            if op == "var":
                names = names[:1]
            elif names and isinstance(names[0], list):
                names = names[0]
            for name in names:
                found[name if isinstance(name, str) else ""] = None
            if op == "var":
                stack.extend(reversed(args[1:] if isinstance(args, list) else []))
                continue
        stack.extend(reversed(args) if isinstance(args, list) else [args])
    return list(found)


def answer_value(value: Any, kind: str | None = None) -> Any:
    """A computed result as it is stored: NaN and ±Infinity are no answer (None), -0 is 0, and a
    whole number is an int (JSON `3`, as the phone sends it, not `3.0`)."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        if value == 0:
            return 0
        if value.is_integer() and abs(value) <= 2**53:
            return int(value)
    if value is UNDEFINED:
        return None
    return value


def item_scope(top: dict, item: Any, item_names: list[str] | set[str]) -> dict:
    """What `var` reads inside one item of a repeated group: the item's own fields (by name, even
    when unanswered), then the top level for every other name."""
    scope = {k: v for k, v in top.items() if k not in item_names}
    if isinstance(item, dict):
        scope.update({k: v for k, v in item.items() if k in item_names})
    return scope
