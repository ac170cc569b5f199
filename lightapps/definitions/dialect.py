"""The form dialect: JSON Schema (draft 2020-12) for what is valid, a uiSchema for how to show it.

Conventions (kept close to react-jsonschema-form):

- The top-level schema is an object with `properties`, `required` and
  `"unevaluatedProperties": false` (unknown answers are refused).
- Conditional parts live in `allOf` items of the shape
  `{"if": {"properties": {"a": {"const": v}}, "required": ["a"]}, "then": {"properties": {...},
  "required": [...]}}` (or `{"enum": [...]}` instead of `const`). The fields of `then` are shown
  on the phone only while the condition holds; when it does not hold they are unknown answers,
  so a hidden answer is never stored.
- `ui` holds `ui:order` (top-level order) and, per field, `ui:widget`, `ui:help`,
  `ui:placeholder` and `ui:options` (`section`: a heading before the field, `unit`, `capture`).
  Widgets beyond the standard ones: `photos` (array of attachment ids), `location`
  (object with lat, lng, accuracy), `textarea`, `radio`, `select`, `checkboxes`.
- A repeated group is an array of objects; its ui entry has `items` with the same keys.
"""

import json
import re
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator
from jsonschema.exceptions import SchemaError

FORMAT_CHECKER = Draft202012Validator.FORMAT_CHECKER

WIDGETS = {
    "text",
    "textarea",
    "integer",
    "number",
    "radio",
    "select",
    "checkboxes",
    "boolean",
    "date",
    "time",
    "datetime",
    "photos",
    "location",
    "group",
}


# ---------------------------------------------------------------------------------------------
# Fields: one ordered description of the form, used by the phone page, the console and checks.
# ---------------------------------------------------------------------------------------------


def _choices(prop: dict) -> list[dict] | None:
    if "enum" in prop:
        names = prop.get("enumNames") or []
        return [
            {"value": v, "label": str(names[i]) if i < len(names) else str(v)}
            for i, v in enumerate(prop["enum"])
        ]
    if "oneOf" in prop and all("const" in o for o in prop["oneOf"]):
        return [
            {"value": o["const"], "label": o.get("title", str(o["const"]))} for o in prop["oneOf"]
        ]
    return None


def _kind(prop: dict, ui: dict) -> str:
    widget = ui.get("ui:widget")
    if widget in {"photos", "location", "textarea", "radio", "select", "checkboxes"}:
        return widget
    ptype = prop.get("type")
    if ptype == "boolean":
        return "boolean"
    if ptype == "integer":
        return "integer"
    if ptype == "number":
        return "number"
    if ptype == "array":
        items = prop.get("items", {})
        if items.get("type") == "object":
            return "group"
        if _choices(items):
            return "checkboxes"
        return "text"
    if ptype == "string":
        if _choices(prop):
            return "radio" if len(_choices(prop)) <= 4 else "select"
        fmt = prop.get("format")
        if fmt == "date":
            return "date"
        if fmt == "time":
            return "time"
        if fmt == "date-time":
            return "datetime"
        return "text"
    if ptype == "object" and {"lat", "lng"} <= set(prop.get("properties", {})):
        return "location"
    return "text"


def _field(name: str, prop: dict, ui: dict, required: bool, visible_when: dict | None) -> dict:
    kind = _kind(prop, ui)
    options = ui.get("ui:options", {})
    field = {
        "name": name,
        "title": prop.get("title", name),
        "description": prop.get("description", ""),
        "kind": kind,
        "required": required,
        "help": ui.get("ui:help", ""),
        "placeholder": ui.get("ui:placeholder", ""),
        "section": options.get("section", ""),
        "unit": options.get("unit", ""),
        "visible_when": visible_when,
        "schema": prop,
    }
    if kind in {"radio", "select"}:
        field["choices"] = _choices(prop) or []
    elif kind == "checkboxes":
        field["choices"] = _choices(prop.get("items", {})) or []
    elif kind == "group":
        items = prop.get("items", {})
        field["fields"] = fields_of(items, ui.get("items", {}))
        field["item_title"] = options.get("itemTitle", prop.get("title", name))
    elif kind == "photos":
        field["capture"] = bool(options.get("capture", True))
    return field


def _conditional_parts(schema: dict) -> list[tuple[dict, dict]]:
    """(condition, then) pairs of the supported `allOf`/`if`/`then` shape."""
    parts = []
    for part in schema.get("allOf", []):
        cond, then = part.get("if"), part.get("then")
        if not isinstance(cond, dict) or not isinstance(then, dict):
            continue
        props = cond.get("properties", {})
        if len(props) != 1:
            continue
        ((field, test),) = props.items()
        if "const" in test:
            values = [test["const"]]
        elif "enum" in test:
            values = list(test["enum"])
        else:
            continue
        parts.append(({"field": field, "in": values}, then))
    return parts


def fields_of(schema: dict, ui: dict) -> list[dict]:
    """The form's fields in display order, with kinds, choices, conditions and groups."""
    props: dict[str, tuple[dict, bool, dict | None]] = {}
    required = set(schema.get("required", []))
    for name, prop in schema.get("properties", {}).items():
        props[name] = (prop, name in required, None)
    for condition, then in _conditional_parts(schema):
        then_required = set(then.get("required", []))
        for name, prop in then.get("properties", {}).items():
            if name not in props:
                props[name] = (prop, name in then_required, condition)
    order = [n for n in ui.get("ui:order", []) if n in props]
    order += [n for n in props if n not in order]
    return [
        _field(name, props[name][0], ui.get(name, {}), props[name][1], props[name][2])
        for name in order
    ]


def field_titles(schema: dict, ui: dict | None = None) -> dict[str, str]:
    """Path template -> title, e.g. {"hazards": "隐患", "hazards[].severity": "严重程度"}."""
    titles: dict[str, str] = {}

    def walk(fields: list[dict], prefix: str) -> None:
        for f in fields:
            key = f"{prefix}{f['name']}"
            titles[key] = f["title"]
            if f["kind"] == "group":
                walk(f["fields"], f"{key}[].")

    walk(fields_of(schema, ui or {}), "")
    return titles


def photo_paths(data: Any, fields: list[dict], prefix: str = "") -> list[tuple[str, list]]:
    """(path, ids) of every photos answer in data, including inside repeated groups."""
    found = []
    if not isinstance(data, dict):
        return found
    for f in fields:
        value = data.get(f["name"])
        path = f"{prefix}{f['name']}"
        if f["kind"] == "photos" and isinstance(value, list):
            found.append((path, value))
        elif f["kind"] == "group" and isinstance(value, list):
            for i, item in enumerate(value):
                found += photo_paths(item, f["fields"], f"{path}[{i}].")
    return found


# ---------------------------------------------------------------------------------------------
# Definition checks (at publish)
# ---------------------------------------------------------------------------------------------


def _pointer(*parts: Any) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def definition_problems(schema: Any, ui: Any, flow: Any) -> list[dict]:
    """Every problem of a definition as {"pointer", "message"}; empty means publishable."""
    problems: list[dict] = []
    if not isinstance(schema, dict):
        return [{"pointer": "/schema", "message": _("表单定义必须是 JSON 对象")}]
    try:
        Draft202012Validator.check_schema(schema)
    except SchemaError as exc:
        where = _pointer("schema", *exc.absolute_path)
        problems.append(
            {"pointer": where, "message": _("不是有效的 JSON Schema：%s") % exc.message}
        )
        return problems
    if schema.get("type") != "object" or not schema.get("properties"):
        problems.append(
            {"pointer": "/schema", "message": _("表单定义必须是带字段（properties）的对象")}
        )
        return problems
    if not isinstance(ui, dict):
        problems.append({"pointer": "/ui", "message": _("界面定义必须是 JSON 对象")})
        ui = {}
    known = {f["name"]: f for f in fields_of(schema, ui)}
    for key, value in ui.items():
        if key.startswith("ui:"):
            continue
        if key not in known:
            problems.append(
                {"pointer": _pointer("ui", key), "message": _("界面定义中的“%s”不是表单字段") % key}
            )
        elif isinstance(value, dict) and value.get("ui:widget") not in (None, *WIDGETS):
            problems.append(
                {
                    "pointer": _pointer("ui", key, "ui:widget"),
                    "message": _("不支持的控件“%s”") % value.get("ui:widget"),
                }
            )
    for name in ui.get("ui:order", []):
        if name not in known:
            problems.append(
                {
                    "pointer": _pointer("ui", "ui:order"),
                    "message": _("字段顺序中的“%s”不是表单字段") % name,
                }
            )
    for i, (condition, _then) in enumerate(_conditional_parts(schema)):
        if condition["field"] not in schema.get("properties", {}):
            problems.append(
                {
                    "pointer": _pointer("schema", "allOf", i, "if"),
                    "message": _("条件引用了不存在的字段“%s”") % condition["field"],
                }
            )
    from lightapps.workorders.flows import flow_problems

    problems += flow_problems(flow, fields=known)
    return problems


# ---------------------------------------------------------------------------------------------
# Submission checks
# ---------------------------------------------------------------------------------------------


_VALIDATORS: dict[tuple, Draft202012Validator] = {}


def validator_for(version) -> Draft202012Validator:
    """The compiled validator of a published version, built once per process.

    Published versions are immutable, so (id, publish time) identifies the schema; objects
    without a publish time (drafts, benchmarks) are keyed by their schema text.
    """
    published_at = getattr(version, "published_at", None)
    if published_at is not None:
        key = (version.pk, published_at.isoformat())
    else:
        key = ("schema", json.dumps(version.schema, sort_keys=True))
    validator = _VALIDATORS.get(key)
    if validator is None:
        if len(_VALIDATORS) > 512:
            _VALIDATORS.clear()
        validator = Draft202012Validator(version.schema, format_checker=FORMAT_CHECKER)
        _VALIDATORS[key] = validator
    return validator


def _path(parts) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


def _template_key(parts) -> str:
    out = ""
    for part in parts:
        if isinstance(part, int):
            out += "[]"
        else:
            out += f".{part}" if out else str(part)
    return out


_QUOTED = re.compile(r"'([^']+)'")

FORMAT_NAMES = {
    "date": "日期（如 2026-11-23）",
    "time": "时间（如 09:30:00+08:00）",
    "date-time": "日期时间",
    "uuid": "编号",
    "email": "电子邮箱",
}


def _message(error, title: str) -> str:
    v = error.validator
    value = error.validator_value
    if v == "type":
        names = {
            "string": "文字",
            "integer": "整数",
            "number": "数字",
            "boolean": "是或否",
            "array": "列表",
            "object": "对象",
            "null": "空值",
        }
        types = value if isinstance(value, list) else [value]
        return _("“%(t)s”应为%(x)s") % {"t": title, "x": "或".join(names.get(t, t) for t in types)}
    if v == "minLength":
        return _("“%(t)s”至少需要 %(n)s 个字") % {"t": title, "n": value}
    if v == "maxLength":
        return _("“%(t)s”最多 %(n)s 个字") % {"t": title, "n": value}
    if v == "minimum":
        return _("“%(t)s”不能小于 %(n)s") % {"t": title, "n": value}
    if v == "maximum":
        return _("“%(t)s”不能大于 %(n)s") % {"t": title, "n": value}
    if v == "exclusiveMinimum":
        return _("“%(t)s”必须大于 %(n)s") % {"t": title, "n": value}
    if v == "exclusiveMaximum":
        return _("“%(t)s”必须小于 %(n)s") % {"t": title, "n": value}
    if v in {"enum", "const"}:
        return _("“%(t)s”不是可选的选项") % {"t": title}
    if v == "pattern":
        return _("“%(t)s”格式不正确") % {"t": title}
    if v == "format":
        return _("“%(t)s”应为%(f)s") % {"t": title, "f": FORMAT_NAMES.get(value, value)}
    if v == "minItems":
        return _("“%(t)s”至少需要 %(n)s 项") % {"t": title, "n": value}
    if v == "maxItems":
        return _("“%(t)s”最多 %(n)s 项") % {"t": title, "n": value}
    if v == "uniqueItems":
        return _("“%(t)s”中有重复项") % {"t": title}
    return _("“%(t)s”填写不正确") % {"t": title}


def _conditional_names_in_force(schema: dict, data: dict) -> set[str]:
    """Names of the conditional fields whose condition holds for this data."""
    names: set[str] = set()
    for part in schema.get("allOf", []):
        cond, then = part.get("if"), part.get("then")
        holds = isinstance(cond, dict) and Draft202012Validator(cond).is_valid(data)
        if holds and isinstance(then, dict):
            names |= set(then.get("properties", {}))
    return names


def submission_errors(version, data: Any) -> dict[str, list[str]]:
    """Field path -> Chinese messages naming the field by its title; empty when data is valid."""
    if not isinstance(data, dict):
        return {"": [_("提交的数据必须是 JSON 对象")]}
    found = list(validator_for(version).iter_errors(data))
    if not found:
        return {}
    # Only a failing submission pays for titles and conditions.
    titles = field_titles(version.schema, version.ui)
    in_force = _conditional_names_in_force(version.schema, data)
    errors: dict[str, list[str]] = {}

    def add(path: str, message: str) -> None:
        bucket = errors.setdefault(path, [])
        if message not in bucket:
            bucket.append(message)

    for error in found:
        parts = list(error.absolute_path)
        if error.validator == "required":
            missing = [r for r in error.validator_value if r not in (error.instance or {})]
            for name in missing:
                key = _template_key([*parts, name])
                add(_path([*parts, name]), _("请填写“%s”") % titles.get(key, name))
            continue
        if error.validator in {"unevaluatedProperties", "additionalProperties"}:
            for name in _QUOTED.findall(error.message):
                if not parts and name in in_force:
                    # jsonschema counts a `then` as unevaluated when any of its answers fails;
                    # that answer has its own message, the others are fine.
                    continue
                add(_path([*parts, name]), _("“%s”不是此表单的字段，或在当前选择下不应填写") % name)
            continue
        if error.validator in {"if", "allOf"}:
            continue
        title = titles.get(_template_key(parts), _path(parts) or _("表单"))
        add(_path(parts), _message(error, title))
    return errors
