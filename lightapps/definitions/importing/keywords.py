"""Draft-07 keywords as 2020-12, and the shapes react-jsonschema-form users write turned into the
dialect's conditional parts. Each rewrite keeps what is valid exactly, or makes it stricter.

- `dependencies`: a list → `dependentRequired`; a schema → `dependentSchemas`, or, for RJSF's
  "oneOf in dependencies" (a choice that reveals fields: each branch names the choice's values),
  one `allOf` if/then part per branch, which the phone shows as conditional fields;
- tuple `items` (a list) + `additionalItems` → `prefixItems` + `items`; `additionalItems`
  beside a single `items` has no effect and goes;
- draft-04 boolean `exclusiveMinimum`/`exclusiveMaximum` → their numeric form;
- at the top: `if`/`then`/`else` → one `allOf` part; `allOf` parts of plain fields merged into
  the form; `oneOf`/`anyOf` whose branches are told apart by one choice → a required choice and
  one conditional part per branch; other branches are kept for the server and their fields
  listed on the phone.
"""

import json
from typing import Any

from django.utils.translation import gettext as _

from .notes import Notes, short

SINGLE = (
    "items", "additionalProperties", "contains", "not", "if", "then", "else", "propertyNames",
    "unevaluatedItems", "unevaluatedProperties", "contentSchema",
)  # fmt: skip
LISTS = ("allOf", "anyOf", "oneOf", "prefixItems")
MAPS = ("properties", "patternProperties", "dependentSchemas", "$defs")
PLAIN_PART = {"properties", "required", "type", "title", "description", "$comment"}


class Context:
    def __init__(self, notes: Notes, origins: dict[int, tuple]):
        self.notes = notes
        self.origins = origins
        self.walked: set[int] = set()  # fields already seen (a field may be shared by two parts)
        self.tuples: set[int] = set()  # arrays written with draft-07 tuple `items`
        self.legacy = False  # the source says draft-04/06/07: 2019+ keywords meant nothing there

    def at(self, node: Any, fallback: tuple) -> tuple:
        return self.origins.get(id(node), fallback)


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _title(node: dict, name: str) -> str:
    props = node.get("properties")
    prop = props.get(name) if isinstance(props, dict) else None
    if isinstance(prop, dict) and isinstance(prop.get("title"), str):
        return prop["title"]
    return name


def rewrite(node: Any, where: tuple, ctx: Context) -> None:
    """Rewrite one subschema and everything under it, in place."""
    if not isinstance(node, dict):
        return
    at = ctx.at(node, where)
    dependencies = node.pop("dependencies", None)
    if isinstance(dependencies, dict):
        for name, dependency in dependencies.items():
            _dependency(node, name, dependency, (*at, "dependencies", name), ctx)
    items = node.get("items")
    if isinstance(items, list):
        ctx.tuples.add(id(node))
        node["prefixItems"] = items
        additional = node.pop("additionalItems", None)
        if additional is None:
            node.pop("items")
        else:
            node["items"] = additional
    else:
        node.pop("additionalItems", None)  # no effect without tuple items (draft-07)
        if ctx.legacy and "prefixItems" in node:
            # Unknown to draft-07, so the original ignored it; kept, it would let `items: false`
            # (no items at all there) accept the prefix: looser than the original.
            node.pop("prefixItems")
            ctx.notes.add((*at, "prefixItems"), _("prefixItems 不是 draft-07 的关键字，已忽略"))
    if "if" in node and isinstance(node.get("properties"), dict):
        # The same rule as one `allOf` part: the shape the phone shows as conditional fields.
        part = {k: node.pop(k) for k in ("if", "then", "else") if k in node}
        node["allOf"] = [*(node.get("allOf") if isinstance(node.get("allOf"), list) else []), part]
        if "else" in part:
            ctx.notes.add((*at, "else"), _("条件不成立时（else）的规则手机上无法提示，提交时检查"))
    for low, exclusive in (("minimum", "exclusiveMinimum"), ("maximum", "exclusiveMaximum")):
        # draft-04's boolean form (popped whatever its value)
        if isinstance(node.get(exclusive), bool) and node.pop(exclusive) and low in node:
            node[exclusive] = node.pop(low)
    for key in SINGLE:
        if key in node:
            rewrite(node[key], (*where, key), ctx)
    for key in LISTS:
        if isinstance(node.get(key), list):
            for i, sub in enumerate(node[key]):
                rewrite(sub, (*where, key, i), ctx)
    for key in MAPS:
        if isinstance(node.get(key), dict):
            for name, sub in node[key].items():
                rewrite(sub, (*where, key, name), ctx)


def _dependency(node: dict, name: str, dependency: Any, where: tuple, ctx: Context) -> None:
    title = _title(node, name)
    if isinstance(dependency, list):
        names = [n for n in dependency if isinstance(n, str)]
        required = node.get("dependentRequired")
        required = required if isinstance(required, dict) else {}
        required[name] = list(dict.fromkeys([*required.get(name, []), *names]))
        node["dependentRequired"] = required
        ctx.notes.add(
            where,
            _("填写“%(a)s”后必须填写%(b)s：手机上不标必填，提交时检查")
            % {"a": title, "b": "、".join(f"“{_title(node, n)}”" for n in names[:5])},
        )
        return
    if dependency is True:
        return
    options = dependency.get("oneOf") if isinstance(dependency, dict) else None
    if isinstance(options, list) and set(dependency) <= {"oneOf", "title", "description"}:
        split = _discriminated(options, name, need_required=False)
        if split is not None:
            _as_conditions(node, name, split, options, where, ctx)
            return
    kept = node.get("dependentSchemas")
    kept = kept if isinstance(kept, dict) else {}
    kept[name] = dependency if name not in kept else {"allOf": [kept[name], dependency]}
    node["dependentSchemas"] = kept
    shown = _surface(node, options if isinstance(options, list) else [dependency])
    message = _("填写“%s”后另有规则：手机上无法提示，提交时检查") % title
    if shown:
        message += _("；相关的字段%s始终显示") % "、".join(f"“{n}”" for n in shown[:5])
    ctx.notes.add(where, message)


def _discriminated(options: list, name: str, *, need_required: bool) -> list[list] | None:
    """The values of `name` that select each branch, when they tell the branches apart."""
    split, seen = [], set()
    for option in options:
        if not isinstance(option, dict):
            return None
        props = option.get("properties")
        test = props.get(name) if isinstance(props, dict) else None
        if not isinstance(test, dict):
            return None
        if "const" in test:
            values = [test["const"]]
        elif isinstance(test.get("enum"), list) and test["enum"]:
            values = list(test["enum"])
        else:
            return None
        if need_required and name not in (option.get("required") or []):
            return None
        keys = {_key(v) for v in values}
        if keys & seen:
            return None
        seen |= keys
        split.append(values)
    return split or None


def _as_conditions(node: dict, name: str, split: list, options: list, where, ctx) -> None:
    """One `allOf` if/then part per branch; the choice itself narrowed to the branches' values."""
    union = [v for values in split for v in values]
    _narrow(node, name, union, where, ctx)
    parts = node.get("allOf") if isinstance(node.get("allOf"), list) else []
    for values, branch in zip(split, options, strict=True):
        test = {"const": values[0]} if len(values) == 1 else {"enum": values}
        parts.append({"if": {"properties": {name: test}, "required": [name]}, "then": branch})
    node["allOf"] = parts
    props = node.get("properties") if isinstance(node.get("properties"), dict) else {}
    if node.get("additionalProperties") is False:
        stuck = [
            n for b in options for n in (b.get("properties") or {}) if n not in props and n != name
        ]
        if stuck:
            ctx.notes.add(
                (*where, "oneOf"),
                _(
                    "%s 只在选择后出现，但表单不允许其他字段（additionalProperties: false），原表单也无法提交它们"
                )
                % "、".join(f"“{n}”" for n in dict.fromkeys(stuck)),
            )


def _narrow(node: dict, name: str, union: list, where: tuple, ctx: Context) -> None:
    """Only the values some branch accepts stay choices of `name` (the others never passed)."""
    props = node.get("properties")
    if not isinstance(props, dict):
        props = node["properties"] = {}
    prop = props.get(name)
    wanted = {_key(v) for v in union}
    if prop is None or prop is True:
        # Not a field of its own: a rule beside it, so that `additionalProperties` still reads
        # the same properties.
        kept = (
            node.get("dependentSchemas") if isinstance(node.get("dependentSchemas"), dict) else {}
        )
        test = {"properties": {name: {"enum": union}}}
        kept[name] = test if name not in kept else {"allOf": [kept[name], test]}
        node["dependentSchemas"] = kept
        return
    if not isinstance(prop, dict):
        return
    if isinstance(prop.get("enum"), list):
        keep = [i for i, v in enumerate(prop["enum"]) if _key(v) in wanted]
        dropped = [v for i, v in enumerate(prop["enum"]) if i not in keep]
        prop["enum"] = [prop["enum"][i] for i in keep]
        if isinstance(prop.get("enumNames"), list) and len(prop["enumNames"]) > max(
            keep, default=0
        ):
            prop["enumNames"] = [prop["enumNames"][i] for i in keep]
        if dropped:
            ctx.notes.add(
                where,
                _("“%(t)s”的选项 %(v)s 在原表单中无法通过，已去掉")
                % {"t": _title(node, name), "v": short(dropped)},
            )
        return
    for key in ("oneOf", "anyOf"):
        options = prop.get(key)
        if isinstance(options, list) and all(isinstance(o, dict) and "const" in o for o in options):
            prop[key] = [o for o in options if _key(o["const"]) in wanted]
            return
    prop["enum"] = union


def _surface(node: dict, branches: list) -> list[str]:
    """Fields named only inside branches, added to the form so that the phone shows them; a field
    the branches describe differently is shown as free input (the branches still decide)."""
    if "additionalProperties" in node:
        return []  # another field in `properties` would change what counts as additional
    props = node.get("properties")
    if not isinstance(props, dict):
        props = node["properties"] = {}
    found: dict[str, list] = {}
    for branch in branches:
        inner = branch.get("properties") if isinstance(branch, dict) else None
        for name, sub in (inner if isinstance(inner, dict) else {}).items():
            if name not in props:
                found.setdefault(name, []).append(sub)
    for name, subs in found.items():
        same = all(_key(s) == _key(subs[0]) for s in subs)
        if same:
            props[name] = subs[0]
        else:
            title = next((s["title"] for s in subs if isinstance(s, dict) and "title" in s), name)
            props[name] = {"title": title}
    return list(found)


def root_combinators(schema: dict, ctx: Context) -> None:
    """`if`/`then`/`else`, `allOf`, `anyOf` and `oneOf` at the top of the form."""
    if "if" in schema:  # a top level with no properties yet
        part = {k: schema.pop(k) for k in ("if", "then", "else") if k in schema}
        schema["allOf"] = [*(schema.get("allOf") or []), part]
    props = schema.get("properties")
    if not isinstance(props, dict):
        props = schema["properties"] = {}
    parts = schema.get("allOf")
    if isinstance(parts, list):
        kept = []
        for i, part in enumerate(parts):
            if not isinstance(part, dict) or "if" in part:
                kept.append(part)
                continue
            moved = "additionalProperties" not in schema  # else what counts as additional changes
            for name, sub in (part.get("properties") or {}).items() if moved else ():
                if name not in props:
                    props[name] = sub
                elif _key(props[name]) != _key(sub):
                    moved = False
            required = [r for r in part.get("required") or [] if isinstance(r, str)]
            schema["required"] = list(dict.fromkeys([*(schema.get("required") or []), *required]))
            if moved and set(part) <= PLAIN_PART and part.get("type", "object") == "object":
                continue
            kept.append(part)
            extra = sorted(set(part) - {"properties", "required", "title", "description"})
            ctx.notes.add(
                ("schema", "allOf", i),
                _("“allOf”第 %(n)d 部分的规则（%(k)s）手机上无法提示，提交时检查")
                % {"n": i + 1, "k": short("、".join(extra) or "properties")},
            )
        schema["allOf"] = kept
        if not kept:
            schema.pop("allOf")
    for key in ("oneOf", "anyOf"):
        options = schema.get(key)
        if not isinstance(options, list):
            continue
        _root_choice(schema, key, options, ctx)


def _root_choice(schema: dict, key: str, options: list, ctx: Context) -> None:
    props = schema["properties"]
    for name in _first_properties(options):
        split = _discriminated(options, name, need_required=True)
        if split is None or (name not in props and "additionalProperties" in schema):
            continue
        schema.pop(key)
        if name not in props:
            first = options[0]["properties"][name]
            props[name] = {k: v for k, v in first.items() if k in {"title", "description"}}
            props[name].setdefault("title", _("填法"))
        _narrow(schema, name, [v for values in split for v in values], ("schema", key), ctx)
        prop = props[name]
        if isinstance(prop, dict) and all(len(v) == 1 for v in split) and "enumNames" not in prop:
            titles = [o.get("title") for o in options]
            if all(isinstance(t, str) for t in titles) and prop.get("enum") == [
                v[0] for v in split
            ]:
                prop["enumNames"] = titles
        schema["required"] = list(dict.fromkeys([*(schema.get("required") or []), name]))
        parts = schema.get("allOf") if isinstance(schema.get("allOf"), list) else []
        for values, branch in zip(split, options, strict=True):
            test = {"const": values[0]} if len(values) == 1 else {"enum": values}
            parts.append({"if": {"properties": {name: test}, "required": [name]}, "then": branch})
        schema["allOf"] = parts
        ctx.notes.add(
            ("schema", key),
            _("表单的 %(n)d 种填法按“%(t)s”区分：已改为先选“%(t)s”，再显示对应的字段")
            % {"n": len(options), "t": _title(schema, name)},
        )
        return
    shown = _surface(schema, options)
    message = _("表单有 %(n)d 种填法（%(k)s）：提交时检查是否符合") % {"n": len(options), "k": key}
    if shown:
        message += _("；各种填法的字段都已列出")
    ctx.notes.add(("schema", key), message)


def _first_properties(options: list) -> list[str]:
    first = options[0] if options and isinstance(options[0], dict) else {}
    props = first.get("properties")
    return list(props) if isinstance(props, dict) else []
