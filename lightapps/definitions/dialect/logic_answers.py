"""A submission under its form's logic: computed answers recomputed, shown-when and required-when
applied, exactly as the phone (static/mobile/conditions.js) applies them.

The rule both sides follow, in this order:
1. the answers as sent: fields hidden on the phone are not sent;
2. every computed field (x-compute) is evaluated over them in dependency order (a field reading a
   computed field comes after it; inside a repeated group per item), its value replacing what was
   sent; a result that is null, NaN or ±Infinity is no answer;
3. x-visibleIf and x-requiredIf are evaluated over those answers (inside a group item over the
   item's scope: `logic.item_scope`).
A hidden field must have no answer (a hidden repeated group no items); a visible field whose
x-requiredIf holds, or that is in `required`, must have one; a computed answer sent must equal the
server's. A computed answer not sent is filled in (`logic_filled`), so the stored data holds it.
"""

import json
from dataclasses import dataclass, field
from typing import Any

from django.utils.translation import gettext as _

from . import jsvalues as js
from .fields import COMPUTE, LOGIC_KEYS, REQUIRED_IF, VISIBLE_IF, field_titles, sections_applied
from .logic import LogicTooBig, answer_value, item_scope, logic_apply, logic_vars


def _props(schema: Any) -> dict:
    props = schema.get("properties") if isinstance(schema, dict) else None
    return props if isinstance(props, dict) else {}


def group_items_schema(prop: Any) -> dict | None:
    """The item schema of a repeated group (an array of objects), else None."""
    if isinstance(prop, dict) and prop.get("type") == "array":
        items = prop.get("items")
        if isinstance(items, dict) and isinstance(items.get("properties"), dict):
            return items
    return None


def has_logic(schema: Any) -> bool:
    """Whether any field of the form (or of a group's items) carries a logic keyword."""
    for prop in _props(schema).values():
        if isinstance(prop, dict) and any(k in prop for k in LOGIC_KEYS):
            return True
        items = group_items_schema(prop)
        if items and has_logic(items):
            return True
    return False


def computed_order(schema: dict) -> list[tuple[str | None, str]]:
    """(group or None, field) of every computed field, dependencies first (cycles, refused at
    publish, are broken in the written order)."""
    top = _props(schema)
    nodes: dict[tuple, list[tuple]] = {}
    group_nodes: dict[str, list[tuple]] = {}
    for name, prop in top.items():
        items = group_items_schema(prop)
        if items:
            group_nodes[name] = [(name, n) for n, p in _props(items).items() if _computes(p)]
    for name, prop in top.items():
        if _computes(prop):
            nodes[(None, name)] = _deps(prop[COMPUTE], None, set(), top, group_nodes)
        items = group_items_schema(prop)
        if items:
            names = set(_props(items))
            for n, p in _props(items).items():
                if _computes(p):
                    nodes[(name, n)] = _deps(p[COMPUTE], name, names, top, group_nodes)
    order: list[tuple] = []
    state: dict[tuple, int] = {}

    def visit(node: tuple) -> None:
        if state.get(node):
            return
        state[node] = 1
        for dep in nodes.get(node, []):
            if dep in nodes:
                visit(dep)
        state[node] = 2
        order.append(node)

    for node in nodes:
        visit(node)
    return order


def _computes(prop: Any) -> bool:
    return isinstance(prop, dict) and COMPUTE in prop


def _deps(expr, group, item_names, top, group_nodes) -> list[tuple]:
    deps = []
    for name in logic_vars(expr):
        if group is not None and name in item_names:
            deps.append((group, name))
        elif name in group_nodes:
            deps += group_nodes[name]
        elif name in top:
            deps.append((None, name))
    return deps


def _evaluate(expr: Any, scope: dict) -> Any:
    try:
        return logic_apply(expr, scope)
    except (LogicTooBig, RecursionError, TypeError, ValueError, ReferenceError, KeyError):
        return None  # refused at publish; never let a bad expression fail a submit


@dataclass
class Evaluated:
    """The server's view of one submission: its answers with computed values, what is shown."""

    scope: dict
    computed: dict[str, Any] = field(default_factory=dict)  # path -> server value (None: none)
    hidden: set[str] = field(default_factory=set)  # paths of hidden fields
    required: set[str] = field(default_factory=set)  # paths that need an answer (visible)


def logic_evaluate(schema: dict, data: dict) -> Evaluated:
    """Run the rule of this module's docstring over data (which is not changed)."""
    top = _props(schema)
    scope = {
        k: [dict(i) if isinstance(i, dict) else i for i in v] if isinstance(v, list) else v
        for k, v in data.items()
    }
    out = Evaluated(scope=scope)
    for group, name in computed_order(schema):
        if group is None:
            value = answer_value(_evaluate(top[name][COMPUTE], scope))
            _put(scope, name, value)
            out.computed[name] = value
            continue
        items = group_items_schema(top[group])
        names = set(_props(items))
        for i, item in enumerate(scope.get(group) if isinstance(scope.get(group), list) else []):
            if isinstance(item, dict):
                expr = _props(items)[name][COMPUTE]
                value = answer_value(_evaluate(expr, item_scope(scope, item, names)))
                _put(item, name, value)
                out.computed[f"{group}[{i}].{name}"] = value
    required = set(schema.get("required") or []) if isinstance(schema, dict) else set()
    for name, prop in top.items():
        _shown(out, prop, name, name in required, scope)
        items = group_items_schema(prop)
        if not items or name in out.hidden or not isinstance(scope.get(name), list):
            continue
        names = set(_props(items))
        item_required = set(items.get("required") or [])
        for i, item in enumerate(scope[name]):
            if isinstance(item, dict):
                item_view = item_scope(scope, item, names)
                for n, p in _props(items).items():
                    _shown(out, p, f"{name}[{i}].{n}", n in item_required, item_view)
    return out


def _put(target: dict, name: str, value: Any) -> None:
    if value is None:
        target.pop(name, None)
    else:
        target[name] = value


def _shown(out: Evaluated, prop: Any, path: str, required: bool, scope: dict) -> None:
    if not isinstance(prop, dict):
        return
    if VISIBLE_IF in prop and not js.truthy(_evaluate(prop[VISIBLE_IF], scope)):
        out.hidden.add(path)
        return
    # `required` of a field shown only when… means required while shown (compile_schema
    # takes such names out of the schema's `required`, this puts them back).
    if (VISIBLE_IF in prop and required) or (
        REQUIRED_IF in prop and js.truthy(_evaluate(prop[REQUIRED_IF], scope))
    ):
        out.required.add(path)


def _lookup(data: Any, path: str) -> tuple[bool, Any]:
    """(present, value) of a path such as "hazards[1].cost" in data."""
    if "[" in path:
        group, rest = path.split("[", 1)
        index, name = rest.split("].", 1)
        items = data.get(group) if isinstance(data, dict) else None
        if not isinstance(items, list) or int(index) >= len(items):
            return False, None
        item = items[int(index)]
        return (name in item, item.get(name)) if isinstance(item, dict) else (False, None)
    return (path in data, data.get(path)) if isinstance(data, dict) else (False, None)


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _same(a: Any, b: Any) -> bool:
    if js.js_type(a) == "number" and js.js_type(b) == "number":
        return float(a) == float(b)
    return json.dumps(a, sort_keys=True) == json.dumps(b, sort_keys=True)


def _template(path: str) -> str:
    return path.split("[", 1)[0] + "[]." + path.split("].", 1)[1] if "[" in path else path


@dataclass
class LogicErrors:
    fields: dict[str, list[str]]
    forged: bool  # a computed answer differs from the server's


def logic_errors(schema: dict, ui: dict, data: dict) -> LogicErrors:
    """Hidden answers, missing required-when answers and forged computed answers, per path."""
    result = LogicErrors(fields={}, forged=False)
    schema = sections_applied(schema, ui)
    if not isinstance(data, dict) or not has_logic(schema):
        return result
    evaluated = logic_evaluate(schema, data)
    titles = field_titles(schema, ui)

    def title(path: str) -> str:
        return titles.get(_template(path), path)

    for path in sorted(evaluated.hidden):
        if _lookup(data, path)[0]:
            result.fields[path] = [_("按当前的填写，不应填写“%s”") % title(path)]
    for path in sorted(evaluated.required):
        present, value = _lookup(evaluated.scope, path)
        if not present or _empty(value):
            result.fields.setdefault(path, []).append(_("请填写“%s”") % title(path))
    for path, value in evaluated.computed.items():
        present, sent = _lookup(data, path)
        if not present or path in evaluated.hidden or _hidden_group(path, evaluated.hidden):
            continue
        if value is None or not _same(sent, value):
            result.forged = True
            shown = _("空") if value is None else js.to_string(value)
            result.fields.setdefault(path, []).append(
                _("“%(t)s”由系统自动计算，应为“%(v)s”，不能修改") % {"t": title(path), "v": shown}
            )
    return result


def _hidden_group(path: str, hidden: set[str]) -> bool:
    return "[" in path and path.split("[", 1)[0] in hidden


def logic_filled(schema: dict, ui: dict, data: Any) -> Any:
    """The data with each computed answer that was not sent filled in with the server's value
    (visible fields only; a null result stays absent). Sent answers are left for logic_errors."""
    schema = sections_applied(schema, ui)
    if not isinstance(data, dict) or not has_logic(schema):
        return data
    evaluated = logic_evaluate(schema, data)
    out = {
        k: [dict(i) if isinstance(i, dict) else i for i in v] if isinstance(v, list) else v
        for k, v in data.items()
    }
    for path, value in evaluated.computed.items():
        if value is None or path in evaluated.hidden or _hidden_group(path, evaluated.hidden):
            continue
        if _lookup(data, path)[0]:
            continue
        if "[" in path:
            group, rest = path.split("[", 1)
            index, name = rest.split("].", 1)
            out[group][int(index)][name] = value
        else:
            out[path] = value
    return out
