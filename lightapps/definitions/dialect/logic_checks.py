"""Publish checks of the form logic (x-visibleIf, x-requiredIf, x-compute), one problem per
pointer, in Chinese, naming fields by title and never echoing an expression whole."""

import re
from typing import Any

from django.utils.translation import gettext as _

from .fields import COMPUTE, DISPLAY_ONLY, LOGIC_KEYS, REQUIRED_IF, VISIBLE_IF, choices_of
from .logic import MAX_DEPTH, MAX_NODES, OPERATORS, logic_size, logic_vars
from .logic_answers import group_items_schema

COMPARISONS = {"==", "!=", "<", "<=", ">", ">="}
NUMBER_TYPES = {"number", "integer"}
COMPUTED_TYPES = {"string", "number", "integer", "boolean"}
_NUMERIC = re.compile(r"\s*[+-]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][+-]?[0-9]+)?\s*\Z")
_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
TYPE_NAMES = {"string": "文字", "number": "数字", "integer": "整数", "boolean": "是或否"}
KEY_NAMES = {VISIBLE_IF: "显示条件", REQUIRED_IF: "必填条件", COMPUTE: "计算公式"}


def _short(value: Any) -> str:
    text = str(value)
    return text if len(text) <= 20 else text[:20] + "…"


class _Scope:
    """The fields an expression of one field may read: the top level, and a group's items."""

    def __init__(self, schema: dict, titles: dict, kinds: dict, group: str | None = None):
        self.top = schema.get("properties") or {}
        self.group = group
        self.items = (
            (group_items_schema(self.top[group]) or {}).get("properties", {}) if group else {}
        )
        self.titles, self.kinds = titles, kinds
        self.others = {  # item fields of every group: never readable from elsewhere
            n: g
            for g, p in self.top.items()
            if g != group and group_items_schema(p)
            for n in group_items_schema(p)["properties"]
        }

    def prop(self, name: str) -> dict | None:
        if self.group and name in self.items:
            return self.items[name]
        return self.top.get(name)

    def path(self, name: str) -> str:
        return f"{self.group}[].{name}" if self.group and name in self.items else name

    def title(self, name: str) -> str:
        return self.titles.get(self.path(name), name)


def _field_type(prop: Any) -> str | None:
    if not isinstance(prop, dict):
        return None
    t = prop.get("type")
    if isinstance(t, list):
        real = [x for x in t if x != "null"]
        t = real[0] if len(real) == 1 else None
    return t if isinstance(t, str) else None


def _var_name(node: Any) -> str | None:
    if isinstance(node, dict) and len(node) == 1 and "var" in node:
        args = node["var"]
        name = args[0] if isinstance(args, list) and args else args
        return name if isinstance(name, str) else None
    return None


def expression_problems(expr: Any, where: str, scope: _Scope) -> list[str]:
    """What is wrong with one expression, as messages (all at the same pointer)."""
    depth, nodes, _ops = logic_size(expr)
    if depth > MAX_DEPTH or nodes > MAX_NODES:
        return [_("表达式太复杂：最多嵌套 %(d)d 层、%(n)d 项") % {"d": MAX_DEPTH, "n": MAX_NODES}]
    messages: list[str] = []

    def add(message: str) -> None:
        if message not in messages:
            messages.append(message)

    stack = [expr]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
            continue
        if not isinstance(node, dict):
            continue
        if len(node) != 1:
            add(_("表达式中的每个对象只能有一个运算"))
            continue
        ((op, args),) = node.items()
        if op not in OPERATORS:
            add(_("不支持的运算“%s”") % _short(op))
            continue
        values = args if isinstance(args, list) else [args]
        low, high = OPERATORS[op]
        if len(values) < low or (high is not None and len(values) > high):
            add(_("运算“%s”的参数个数不对") % op)
        if op in {"var", "missing"}:
            names = values[:1] if op == "var" else values
            if op == "missing" and names and isinstance(names[0], list):
                names = names[0]
            for name in names:
                add_var_problem(name, scope, add)
            stack.extend(values[1:] if op == "var" else [])
            continue
        _type_problems(op, values, scope, add)
        stack.extend(values)
    return messages


def add_var_problem(name: Any, scope: _Scope, add) -> None:
    if not isinstance(name, str):
        add(_("引用字段时须直接写字段名"))
    elif scope.prop(name) is None:
        if name in scope.others:
            add(
                _("不能引用重复组“%(g)s”中的字段“%(f)s”")
                % {"g": scope.titles.get(scope.others[name], scope.others[name]), "f": name}
            )
        else:
            add(_("引用了不存在的字段“%s”") % _short(name))
    elif scope.kinds.get(scope.path(name)) in DISPLAY_ONLY:
        add(_("“%s”不填写答案，不能引用") % scope.title(name))


def _type_problems(op: str, values: list, scope: _Scope, add) -> None:
    if op in COMPARISONS and len(values) == 2:
        for a, b in ((values[0], values[1]), (values[1], values[0])):
            name = _var_name(a)
            prop = scope.prop(name) if name else None
            ftype = _field_type(prop)
            if ftype in NUMBER_TYPES and isinstance(b, str) and not _NUMERIC.match(b):
                add(
                    _("“%(f)s”是数字，不能与文字“%(v)s”比较")
                    % {"f": scope.title(name), "v": _short(b)}
                )
            elif ftype == "boolean" and isinstance(b, str):
                add(
                    _("“%(f)s”是“是或否”，不能与文字“%(v)s”比较")
                    % {"f": scope.title(name), "v": _short(b)}
                )
            elif op in {"==", "!="} and prop is not None and _is_literal(b):
                _choice_problem(prop, [b], scope.title(name), add)
    if op == "in" and len(values) == 2 and isinstance(values[1], list):
        name = _var_name(values[0])
        if name and scope.prop(name) is not None:
            literals = [v for v in values[1] if _is_literal(v)]
            _choice_problem(scope.prop(name), literals, scope.title(name), add)
    if op == "in" and len(values) == 2 and _is_literal(values[0]):
        name = _var_name(values[1])
        prop = scope.prop(name) if name else None
        if prop is not None and _field_type(prop) == "array":
            _choice_problem(prop.get("items", {}), [values[0]], scope.title(name), add)
    if op in {"count", "sum"} and values:
        name = _var_name(values[0])
        prop = scope.prop(name) if name else None
        if name and prop is not None and _field_type(prop) != "array":
            add(_("“%(op)s”只能用于重复组或多选，“%(f)s”不是") % {"op": op, "f": scope.title(name)})
        elif op == "sum" and name and prop is not None and len(values) > 1:
            items = group_items_schema(prop)
            key = values[1]
            target = (items or {}).get("properties", {}).get(key) if isinstance(key, str) else None
            if items is None:
                add(_("“sum”按字段求和只能用于重复组，“%s”不是") % scope.title(name))
            elif _field_type(target) not in NUMBER_TYPES:
                add(
                    _("“%(f)s”中没有可求和的数字字段“%(k)s”")
                    % {"f": scope.title(name), "k": _short(key)}
                )
    if op == "date_diff":
        for value in values:
            name = _var_name(value)
            prop = scope.prop(name) if name else None
            if isinstance(value, str) and not _DAY.match(value):
                add(_("“date_diff”只能计算日期（如 2026-11-23）之间的天数"))
            elif prop is not None and (
                _field_type(prop) != "string" or prop.get("format") not in {"date", "date-time"}
            ):
                add(_("“date_diff”只能用于日期字段，“%s”不是日期") % scope.title(name))


def _is_literal(value: Any) -> bool:
    return value is None or isinstance(value, (str, int, float, bool))


def _choice_problem(prop: Any, literals: list, title: str, add) -> None:
    choices = choices_of(prop)
    if choices is None and isinstance(prop, dict) and prop.get("type") == "boolean":
        choices = [{"value": True}, {"value": False}]
    if not choices:
        return
    values = [c["value"] for c in choices]
    for literal in literals:
        if literal not in values or (
            isinstance(literal, bool) and not any(v is literal for v in values)
        ):
            add(_("“%(f)s”没有选项“%(v)s”") % {"f": title, "v": _short(literal)})


def result_type(expr: Any, scope: _Scope) -> set[str] | None:
    """The JSON types an expression can give, when cheaply known; None when unknown."""
    if isinstance(expr, bool):
        return {"boolean"}
    if isinstance(expr, (int, float)):
        return {"number"}
    if isinstance(expr, str):
        return {"string"}
    if not isinstance(expr, dict) or len(expr) != 1:
        return None
    ((op, args),) = expr.items()
    values = args if isinstance(args, list) else [args]
    if op in COMPARISONS | {"in", "!", "!!"}:
        return {"boolean"}
    if op in {"+", "-", "/", "count", "sum"}:
        return {"number"}
    if op == "date_diff":
        return {"number", "null"}
    if op == "cat":
        return {"string"}
    if op == "var":
        name = _var_name(expr)
        ftype = _field_type(scope.prop(name)) if name else None
        return {"number" if ftype == "integer" else ftype} if ftype else None
    if op == "if":
        branches = [values[i] for i in range(1, len(values), 2)]
        if len(values) % 2 == 1:
            branches.append(values[-1])
        else:
            branches.append(None)
        found: set[str] = set()
        for branch in branches:
            types = {"null"} if branch is None else result_type(branch, scope)
            if types is None:
                return None
            found |= types
        return found
    return None


def _compute_type_problem(prop: dict, expr: Any, scope: _Scope, title: str) -> str | None:
    ftype = _field_type(prop)
    if ftype not in COMPUTED_TYPES:
        return _("计算字段“%s”只能是文字、数字、整数或是否") % title
    types = result_type(expr, scope)
    if types is None:
        return None
    wanted = {"number"} if ftype in NUMBER_TYPES else {ftype}
    wrong = types - wanted - {"null"}
    if wrong:
        return _("“%(f)s”的类型是%(t)s，计算结果却可能是%(r)s") % {
            "f": title,
            "t": TYPE_NAMES[ftype],
            "r": "或".join(TYPE_NAMES.get(t, t) for t in sorted(wrong)),
        }
    return None


def logic_problems(schema: dict, titles: dict, kinds: dict) -> list[dict]:
    """Every problem of the logic keywords of the form's fields and its groups' fields."""
    problems: list[dict] = []
    top = schema.get("properties") or {}
    graph: dict[str, tuple[str, list[str]]] = {}
    for name, prop in top.items():
        problems += _field_problems(
            prop, ("schema", "properties", name), name, schema, titles, kinds, None, graph
        )
        items = group_items_schema(prop)
        if items:
            for n, p in items["properties"].items():
                where = ("schema", "properties", name, "items", "properties", n)
                problems += _field_problems(p, where, n, schema, titles, kinds, name, graph)
    problems += _cycle_problems(graph, titles)
    return problems


def _field_problems(prop, where, name, schema, titles, kinds, group, graph) -> list[dict]:
    from .checks import pointer  # checks imports this module

    if not isinstance(prop, dict) or not any(k in prop for k in LOGIC_KEYS):
        return []
    scope = _Scope(schema, titles, kinds, group)
    path = scope.path(name) if group else name
    title = titles.get(path, name)
    problems = []
    for key in LOGIC_KEYS:
        if key not in prop:
            continue
        at = pointer(*where, key)
        messages = expression_problems(prop[key], at, scope)
        if key == COMPUTE and not messages:
            message = _compute_type_problem(prop, prop[key], scope, title)
            messages += [message] if message else []
        if key == VISIBLE_IF and name in logic_vars(prop[key]):
            messages.append(_("“%s”的显示条件不能引用它自己") % title)
        problems += [{"pointer": at, "message": f"{KEY_NAMES[key]}：{m}"} for m in messages]
        if key in {COMPUTE, VISIBLE_IF}:
            # path -> (the keyword it reads through, x-compute first: a cycle's pointer; deps)
            deps = graph.setdefault(path, (key, []))[1]
            for var in logic_vars(prop[key]):
                if var and scope.prop(var) is not None and var != name:
                    deps.append(scope.path(var))
                    if group_items_schema(scope.prop(var)):  # a group's value holds its items'
                        deps += [
                            f"{var}[].{n}"
                            for n in group_items_schema(scope.prop(var))["properties"]
                        ]
    return problems


def _cycle_problems(graph: dict[str, tuple[str, list[str]]], titles: dict) -> list[dict]:
    from .checks import pointer  # checks imports this module

    problems, state, stack = [], {}, []
    reported: set[frozenset] = set()

    def visit(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for dep in graph.get(node, ("", []))[1]:
            if state.get(dep) == 1:
                cycle = stack[stack.index(dep) :]
                if frozenset(cycle) not in reported:
                    reported.add(frozenset(cycle))
                    names = " → ".join(titles.get(n, n) for n in [*cycle, dep])
                    first = cycle[0]
                    parts = (
                        "schema",
                        "properties",
                        *first.replace("[].", "\0items\0properties\0").split("\0"),
                        graph[first][0],
                    )
                    problems.append(
                        {"pointer": pointer(*parts), "message": _("表达式循环引用：%s") % names}
                    )
            elif dep in graph and not state.get(dep):
                visit(dep)
        stack.pop()
        state[node] = 2

    for node in list(graph):
        if not state.get(node):
            visit(node)
    return problems
