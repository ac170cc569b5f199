"""导入导出: a light app as one JSON file, and a plain JSON Schema (+ RJSF uiSchema) brought in.

- `definition_export` writes {"format": "lightapps.app/1", key, name, description, schema, ui,
  flow}; reading it back (`definition_read`) gives the identical definition.
- `definition_read` also takes a bare JSON Schema, or {"schema", "uiSchema"|"ui"} as
  react-jsonschema-form users keep them. Standard constructs are turned into what the phone
  shows (see `json_schema_import`); what it cannot show is listed as notes with a JSON pointer,
  never dropped silently.
"""

import copy
from typing import Any

from django.utils.translation import gettext as _

from .dialect import WIDGETS
from .dialect.checks import pointer
from .dialect.fields import WIDGET_ALIASES

EXPORT_FORMAT = "lightapps.app/1"
DIALECT = "https://json-schema.org/draft/2020-12/schema"
# Keywords a field may carry that the phone cannot show or honour; validation still uses them.
UNSHOWN = {
    "patternProperties": "按名称规则匹配的字段",
    "propertyNames": "字段名规则",
    "dependentSchemas": "依赖子结构",
    "prefixItems": "按位置区分的列表项",
    "not": "“不得符合”规则",
    "contains": "“必须包含”规则",
}


class ImportError_(ValueError):
    """The file is not a definition at all (not JSON, not an object)."""


def definition_export(*, key: str, name: str, description: str, schema, ui, flow) -> dict:
    return {
        "format": EXPORT_FORMAT,
        "key": key,
        "name": name,
        "description": description,
        "schema": schema,
        "ui": ui,
        "flow": flow,
    }


def definition_read(data: Any) -> dict:
    """{"name", "description", "key", "schema", "ui", "flow", "notes"} from an uploaded file."""
    if not isinstance(data, dict):
        raise ImportError_(_("导入的文件必须是 JSON 对象"))
    if data.get("format") == EXPORT_FORMAT:
        return {
            "key": data.get("key", ""),
            "name": data.get("name", ""),
            "description": data.get("description", ""),
            "schema": data.get("schema"),
            "ui": data.get("ui") or {},
            "flow": data.get("flow") or {"template": "none"},
            "notes": [],
        }
    if isinstance(data.get("schema"), dict):
        schema, ui = data["schema"], data.get("uiSchema") or data.get("ui") or {}
    else:
        schema, ui = data, {}
    schema, ui, notes = json_schema_import(schema, ui)
    return {
        "key": "",
        "name": str(schema.get("title", "")),
        "description": str(schema.get("description", "")),
        "schema": schema,
        "ui": ui,
        "flow": {"template": "none"},
        "notes": notes,
    }


def json_schema_import(schema: Any, ui: Any) -> tuple[dict, dict, list[dict]]:
    """A plain JSON Schema (+ RJSF uiSchema) as our dialect, and notes on what cannot be shown.

    - local `$ref`s (`#/$defs/…`, `#/definitions/…`) are inlined (a recursive one is kept as
      a note: the phone cannot draw an endless form);
    - `type: [x, "null"]` becomes `x` (an empty answer is left out anyway);
    - `examples[0]` becomes the placeholder, `default` is filled in on the phone;
    - string/number/integer/boolean, `enum` and `oneOf`/`anyOf` of consts, arrays of enums
      (checkboxes), arrays of objects (repeated groups), nested objects (a group of one) are
      shown with their usual widgets; anything else is listed in the notes.
    """
    notes: list[dict] = []
    if not isinstance(schema, dict):
        raise ImportError_(_("JSON Schema 必须是对象"))
    schema = copy.deepcopy(schema)
    ui = copy.deepcopy(ui) if isinstance(ui, dict) else {}
    defs = {}
    for key in ("$defs", "definitions"):
        if isinstance(schema.get(key), dict):
            defs.update({f"#/{key}/{n}": v for n, v in schema[key].items()})
    schema = _inline(schema, defs, (), notes, set())
    schema.pop("definitions", None)
    schema.pop("$defs", None)
    schema["$schema"] = DIALECT
    schema.pop("$id", None)
    if schema.get("type") != "object":
        if "properties" in schema:
            schema["type"] = "object"
        else:
            notes.append(
                {"pointer": "/schema", "message": _("顶层必须是带字段的对象，无法生成表单")}
            )
            return schema, ui, notes
    _walk_object(schema, ui, ("schema",), ("ui",), notes)
    return schema, ui, notes


def _inline(node: Any, defs: dict, where: tuple, notes: list, seen: set) -> Any:
    if isinstance(node, list):
        return [_inline(v, defs, (*where, i), notes, seen) for i, v in enumerate(node)]
    if not isinstance(node, dict):
        return node
    ref = node.get("$ref")
    if isinstance(ref, str):
        if ref in seen:
            notes.append(
                {
                    "pointer": pointer("schema", *where),
                    "message": _("递归引用 %s 无法在表单中显示，已改为不限内容") % ref,
                }
            )
            return {k: v for k, v in node.items() if k != "$ref"}
        if ref not in defs:
            notes.append(
                {"pointer": pointer("schema", *where, "$ref"), "message": _("找不到引用 %s") % ref}
            )
            return {k: v for k, v in node.items() if k != "$ref"}
        target = _inline(copy.deepcopy(defs[ref]), defs, where, notes, seen | {ref})
        siblings = {k: v for k, v in node.items() if k != "$ref"}
        return {**target, **_inline(siblings, defs, where, notes, seen)}
    return {
        k: (v if k in {"$defs", "definitions"} else _inline(v, defs, (*where, k), notes, seen))
        for k, v in node.items()
    }


def _normalise_type(prop: dict, where: tuple, notes: list) -> None:
    ptype = prop.get("type")
    if isinstance(ptype, list):
        real = [t for t in ptype if t != "null"]
        if len(real) == 1:
            prop["type"] = real[0]
        else:
            notes.append(
                {
                    "pointer": pointer(*where, "type"),
                    "message": _("多种类型（%s）无法用一个控件填写，按文字处理")
                    % "/".join(map(str, ptype)),
                }
            )
            prop["type"] = "string"
    if "type" not in prop:
        if "enum" in prop or _const_options(prop):
            values = prop.get("enum") or [o["const"] for o in _const_options(prop)]
            types = {type(v) for v in values}
            prop["type"] = {str: "string", int: "integer", float: "number", bool: "boolean"}.get(
                types.pop() if len(types) == 1 else str, "string"
            )
        elif "properties" in prop:
            prop["type"] = "object"
        elif "items" in prop:
            prop["type"] = "array"


def _const_options(prop: dict) -> list[dict]:
    for key in ("oneOf", "anyOf"):
        options = prop.get(key)
        if (
            isinstance(options, list)
            and options
            and all(isinstance(o, dict) and "const" in o for o in options)
        ):
            return options
    return []


def _walk_object(schema: dict, ui: dict, where: tuple, ui_where: tuple, notes: list) -> None:
    props = schema.get("properties")
    if not isinstance(props, dict):
        return
    additional = schema.get("additionalProperties")
    if isinstance(additional, dict) and additional:
        notes.append(
            {
                "pointer": pointer(*where, "additionalProperties"),
                "message": _("允许任意名称的字段，表单只显示列出的字段"),
            }
        )
    for name, prop in props.items():
        if not isinstance(prop, dict):
            continue
        field_ui = ui.get(name)
        if not isinstance(field_ui, dict):
            field_ui = {}
        _walk_field(name, prop, field_ui, (*where, "properties", name), (*ui_where, name), notes)
        if field_ui:
            ui[name] = field_ui
    for i, part in enumerate(schema.get("allOf", []) or []):
        if isinstance(part, dict) and isinstance(part.get("then"), dict):
            _walk_object(part["then"], ui, (*where, "allOf", i, "then"), ui_where, notes)


def _walk_field(name: str, prop: dict, ui: dict, where: tuple, ui_where: tuple, notes: list):
    _normalise_type(prop, where, notes)
    widget = ui.get("ui:widget")
    if isinstance(widget, str) and widget not in WIDGETS and widget not in WIDGET_ALIASES:
        notes.append(
            {
                "pointer": pointer(*ui_where, "ui:widget"),
                "message": _("不支持的控件“%s”，改用默认控件") % widget,
            }
        )
        ui.pop("ui:widget")
    elif widget in WIDGET_ALIASES and WIDGET_ALIASES[widget] is not None:
        ui["ui:widget"] = WIDGET_ALIASES[widget]
    if "ui:field" in ui:
        notes.append(
            {
                "pointer": pointer(*ui_where, "ui:field"),
                "message": _("自定义字段组件（ui:field）无法显示，改用默认控件"),
            }
        )
        ui.pop("ui:field")
    examples = prop.get("examples")
    if isinstance(examples, list) and examples and "ui:placeholder" not in ui:
        ui["ui:placeholder"] = _("如：%s") % examples[0]
    for keyword, label in UNSHOWN.items():
        if keyword in prop:
            notes.append(
                {
                    "pointer": pointer(*where, keyword),
                    "message": _("“%(t)s”的%(k)s在手机上无法提示，提交时仍会检查")
                    % {"t": prop.get("title", name), "k": label},
                }
            )
    options = prop.get("oneOf") or prop.get("anyOf")
    if isinstance(options, list) and not _const_options(prop):
        notes.append(
            {
                "pointer": pointer(*where, "oneOf" if "oneOf" in prop else "anyOf"),
                "message": _("“%s”有多种填法可选，表单无法显示，提交时仍会检查")
                % prop.get("title", name),
            }
        )
    ptype = prop.get("type")
    if ptype == "object":
        if {"lat", "lng"} <= set(prop.get("properties", {})):
            return
        _walk_object(prop, ui, where, ui_where, notes)
    elif ptype == "array":
        items = prop.get("items")
        if isinstance(items, list):
            notes.append(
                {"pointer": pointer(*where, "items"), "message": _("按位置区分的列表项无法显示")}
            )
        elif isinstance(items, dict):
            _normalise_type(items, (*where, "items"), notes)
            if items.get("type") == "object":
                item_ui = ui.get("items") if isinstance(ui.get("items"), dict) else {}
                _walk_object(items, item_ui, (*where, "items"), (*ui_where, "items"), notes)
                if item_ui:
                    ui["items"] = item_ui
            elif items.get("type") == "array":
                notes.append(
                    {"pointer": pointer(*where, "items"), "message": _("列表中的列表无法显示")}
                )
            elif (
                not (items.get("enum") or _const_options(items))
                and items.get("format") != "uuid"
                and "ui:widget" not in ui
            ):
                # A list of free texts: typed on one line, split at commas (see static/mobile/widgets.js).
                ui.setdefault("ui:help", _("多项请用逗号或顿号分隔"))
