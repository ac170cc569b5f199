"""The form's fields as the phone shows them: choices, labels, read-only answers, files, notes.

Runs on the schema after references and keywords (refs.py, keywords.py), walking what the phone
draws: the top-level fields, those of conditional parts, nested objects and repeated groups.
Each change keeps what is valid, or makes it stricter:

- `type: [x, "null"]` → `x` (the phone leaves an empty answer out); other type lists are kept
  for the server and typed as text;
- `const` alone → a one-choice `enum`; `oneOf`/`anyOf` of one-value `enum`s → consts; an `enum`
  of objects loses its redundant `type` so the phone offers the choices, labelled by their JSON;
- `ui:enumNames` → `enumNames`, `ui:enumOrder` reorders the choices, `ui:enumDisabled` stays in
  the uiSchema: the phone does not offer those choices, the server still accepts them (RJSF shows
  them greyed out; old answers stay valid);
- `readOnly`, `ui:readonly`, `ui:disabled` → `readOnly` with `const` = the default (or `not: {}`
  when there is no default): shown but not editable, the default sent, any other answer refused;
- `format: data-url` → a file field (attachment ids), noted: the answer's shape changes;
- `type: null` → a note (display only); `false` and recursive fields are hidden on the phone.
"""

import json
from typing import Any

from django.utils.translation import gettext as _

from ..dialect import WIDGETS
from ..dialect.fields import WIDGET_ALIASES, conditional_parts, kind_of
from .choices import choice_ui, choices, const_options
from .keywords import Context
from .notes import short

UNSHOWN = {
    "patternProperties": "按名称规则匹配的字段",
    "propertyNames": "字段名规则",
    "dependentSchemas": "依赖子结构",
    "dependentRequired": "关联必填",
    "not": "“不得符合”规则",
    "contains": "“必须包含”规则",
    "allOf": "组合规则（allOf）",
    "if": "条件规则（if/then）",
}
# Kinds the phone can show read-only (a value it displays and sends back unchanged).
READ_ONLY_KINDS = {
    "text", "textarea", "integer", "number", "radio", "select", "checkboxes", "boolean", "date",
    "time", "datetime", "address", "mobile", "idcard", "rating",
}  # fmt: skip


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def _has_ref(node: Any) -> bool:
    """A `$ref` kept for recursion in this field itself (its own sub-fields are walked apart)."""
    if isinstance(node, dict):
        if "$ref" in node:
            return True
        skip = {"enum", "const", "default", "examples", "properties"}
        return any(_has_ref(v) for k, v in node.items() if k not in skip)
    if isinstance(node, list):
        return any(_has_ref(v) for v in node)
    return False


def _all_conditions(prop: dict) -> bool:
    """Every `allOf` part is a condition the phone shows (see dialect conditional_parts)."""
    parts = prop.get("allOf")
    return isinstance(parts, list) and len(conditional_parts({"allOf": parts})) == len(parts)


def walk_object(schema: dict, ui: dict, where: tuple, ui_where: tuple, ctx: Context) -> None:
    """The fields of one object (the form, a nested object or a group's item), in place."""
    where = ctx.at(schema, where)
    props = schema.get("properties")
    if not isinstance(props, dict):
        return
    additional = schema.get("additionalProperties")
    if isinstance(additional, dict) and additional:
        ctx.notes.add(
            (*where, "additionalProperties"), _("允许任意名称的字段，表单只显示列出的字段")
        )
    required = set(schema.get("required") or [])
    for name in list(props):
        field_ui = ui.get(name) if isinstance(ui.get(name), dict) else {}
        if props[name] is True:
            props[name] = {}
        at = ctx.at(props[name], (*where, "properties", name))
        walk_field(name, props[name], field_ui, at, (*ui_where, name), name in required, ctx)
        if field_ui:
            ui[name] = field_ui
    for i, part in enumerate(schema.get("allOf") or []):
        if isinstance(part, dict) and isinstance(part.get("then"), dict):
            walk_object(part["then"], ui, (*where, "allOf", i, "then"), ui_where, ctx)


def walk_field(name, prop, ui: dict, where: tuple, ui_where: tuple, required: bool, ctx) -> None:
    if id(prop) in ctx.walked:
        return
    ctx.walked.add(id(prop))
    refuses_all = isinstance(prop, dict) and prop.get("not") == {} and not prop.get("readOnly")
    if prop is False or refuses_all or _has_ref(prop):
        # An unresolved or cyclic reference (noted where it was met), or a recursive structure
        # the server checks through $defs: the phone cannot fill it in.
        ui["ui:widget"] = "hidden"
        if required:
            ctx.notes.add(where, _("必填项“%s”在手机上无法填写，发布后无法提交，请先修改") % name)
        return
    if not isinstance(prop, dict):
        return
    title = prop.get("title") if isinstance(prop.get("title"), str) else name
    unshown = [k for k in UNSHOWN if k in prop and not (k == "allOf" and _all_conditions(prop))]
    _ui_keywords(prop, ui, title, ui_where, ctx)
    _types(prop, title, where, required, ctx)
    if _data_url(prop, ui, title, where, required, ctx):
        return
    if prop.get("type") == "null":
        prop["readOnly"] = True  # a note: shown, never answered
        if required:
            ctx.notes.add(where, _("说明“%s”被设为必填：手机上无法提交，请去掉必填") % title)
        return
    choices(prop, ctx)
    if isinstance(prop.get("items"), dict):
        choices(prop["items"], ctx)
    choice_ui(prop, ui, title, ui_where, ctx)
    if prop.get("readOnly"):
        _read_only(prop, ui, title, where, ui_where, ctx)
    examples = prop.get("examples")
    if isinstance(examples, list) and examples and "ui:placeholder" not in ui:
        ui["ui:placeholder"] = _("如：%s") % short(examples[0])
    for keyword in unshown:
        ctx.notes.add(
            (*where, keyword),
            _("“%(t)s”的%(k)s在手机上无法提示，提交时仍会检查")
            % {"t": title, "k": UNSHOWN[keyword]},
        )
    for key in ("oneOf", "anyOf"):
        options = prop.get(key)
        if isinstance(options, list) and not const_options(prop):
            ctx.notes.add(
                (*where, key),
                _("“%s”有多种填法可选，表单无法显示，提交时仍会检查") % title,
            )
    ptype = prop.get("type")
    if ptype == "object":
        if {"lat", "lng"} <= set(prop.get("properties") or {}):
            return
        walk_object(prop, ui, where, ui_where, ctx)
    elif ptype == "array":
        _array(prop, ui, title, where, ui_where, ctx)


def _ui_keywords(prop: dict, ui: dict, title: str, ui_where: tuple, ctx) -> None:
    for key in ("ui:readonly", "ui:disabled"):
        if ui.pop(key, False) is True:
            prop["readOnly"] = True
    widget = ui.get("ui:widget")
    if isinstance(widget, str) and widget not in WIDGETS and widget not in WIDGET_ALIASES:
        ctx.notes.add((*ui_where, "ui:widget"), _("不支持的控件“%s”，改用默认控件") % short(widget))
        ui.pop("ui:widget")
    elif widget in WIDGET_ALIASES and WIDGET_ALIASES[widget] is not None:
        ui["ui:widget"] = WIDGET_ALIASES[widget]
    elif widget is not None and not isinstance(widget, str):
        ui.pop("ui:widget")
    if "ui:field" in ui:
        ctx.notes.add(
            (*ui_where, "ui:field"), _("自定义字段组件（ui:field）无法显示，改用默认控件")
        )
        ui.pop("ui:field")


def _types(prop: dict, title: str, where: tuple, required: bool, ctx) -> None:
    ptype = prop.get("type")
    if isinstance(ptype, list):
        real = [t for t in dict.fromkeys(ptype) if t != "null" and isinstance(t, str)]
        if len(real) == 1:
            prop["type"] = real[0]  # stricter: an empty answer is left out, never sent as null
            if isinstance(prop.get("enum"), list):
                prop["enum"] = [v for v in prop["enum"] if v is not None]
            if prop.get("default", 0) is None:
                prop.pop("default")
            if required and "null" in ptype:
                ctx.notes.add((*where, "type"), _("“%s”原可填空值（null）：现在必须填写") % title)
        elif not real:
            prop["type"] = "null"
        else:
            prop["type"] = real
            if "string" not in real:
                ctx.notes.add(
                    (*where, "type"),
                    _("“%(t)s”可为多种类型（%(x)s），手机上无法填写，提交时仍按原类型检查")
                    % {"t": title, "x": short("/".join(real))},
                )
            else:
                ctx.notes.add(
                    (*where, "type"),
                    _("“%(t)s”可为多种类型（%(x)s），手机上按文字填写")
                    % {"t": title, "x": short("/".join(real))},
                )
    if "type" in prop:
        return
    values = prop.get("enum") if isinstance(prop.get("enum"), list) else None
    if values is None and "const" in prop:
        values = [prop["const"]]
    if values is None and const_options(prop):
        values = [o["const"] for o in const_options(prop)]
    if values:
        kinds = {type(v) for v in values}
        if kinds <= {int, float} and float in kinds:
            prop["type"] = "number"
        elif len(kinds) == 1:
            found = {str: "string", int: "integer", float: "number", bool: "boolean"}.get(
                kinds.pop()
            )
            if found:
                prop["type"] = found
    elif "properties" in prop:
        prop["type"] = "object"
    elif "items" in prop or "prefixItems" in prop:
        prop["type"] = "array"


def _data_url(prop: dict, ui: dict, title: str, where: tuple, required: bool, ctx) -> bool:
    items = prop.get("items")
    single = prop.get("format") == "data-url"
    many = isinstance(items, dict) and items.get("format") == "data-url"
    if not (single or many):
        return False
    keep = {k: prop[k] for k in ("title", "description") if k in prop}
    low = prop.get("minItems", 0) if many else (1 if required else 0)
    high = prop.get("maxItems") if many else 1
    prop.clear()
    prop.update(keep, type="array", items={"type": "string", "format": "uuid"})
    if isinstance(low, int) and low > 0:
        prop["minItems"] = low
    if isinstance(high, int):
        prop["maxItems"] = high
    ui["ui:widget"] = "files"
    ctx.notes.add(
        (*where, "items", "format") if many else (*where, "format"),
        _(
            "“%s”原为 data-url 文本（文件内容写在答案里），改为上传附件：答案为附件编号，原来的 data-url 答案不再有效"
        )
        % title,
    )
    return True


def _read_only(prop: dict, ui: dict, title: str, where: tuple, ui_where: tuple, ctx) -> None:
    """只读: shown, not editable, the default sent back; any other answer refused."""
    if "default" in prop:
        if "const" in prop and _key(prop["const"]) != _key(prop["default"]):
            ctx.notes.add(
                (*where, "const"), _("只读项“%s”的默认值不符合它的固定值，无法提交") % title
            )
        else:
            prop["const"] = prop["default"]
    else:
        prop["not"] = {}
        ctx.notes.add(
            (*where, "readOnly"),
            _("只读项“%s”没有默认值：手机上不能填写，提交时有答案即退回") % title,
        )
    kind = kind_of(prop, ui)
    if kind not in READ_ONLY_KINDS:
        ui["ui:widget"] = "hidden"
        ctx.notes.add(
            (*where, "readOnly"),
            _("只读项“%s”这类字段手机上无法只读显示，已隐藏（不会提交，服务器只接受默认值）")
            % title,
        )


def _array(prop: dict, ui: dict, title: str, where: tuple, ui_where: tuple, ctx) -> None:
    items = prop.get("items")
    prefix = prop.get("prefixItems")
    if isinstance(prefix, list):
        texts = all(isinstance(p, dict) and p.get("type") == "string" for p in prefix)
        rest_text = (
            items is None
            or items is False
            or (isinstance(items, dict) and items.get("type") == "string")
        )
        if texts and rest_text:
            ui.setdefault("ui:help", _("按顺序填写各项，用逗号或顿号分隔"))
            ctx.notes.add(
                (*where, "items" if id(prop) in ctx.tuples else "prefixItems"),
                _("“%s”的各项按位置区分：手机上按顺序用逗号分隔填写，提交时逐项检查") % title,
            )
        else:
            ui["ui:widget"] = "hidden"
            ctx.notes.add(
                (*where, "items" if id(prop) in ctx.tuples else "prefixItems"),
                _("“%s”的各项按位置区分，手机上无法填写，提交时仍会检查") % title,
            )
        return
    if not isinstance(items, dict):
        return
    _types(items, title, (*where, "items"), False, ctx)
    if items.get("type") == "object":
        item_ui = ui.get("items") if isinstance(ui.get("items"), dict) else {}
        walk_object(items, item_ui, (*where, "items"), (*ui_where, "items"), ctx)
        if item_ui:
            ui["items"] = item_ui
    elif items.get("type") == "array":
        ctx.notes.add((*where, "items"), _("列表中的列表无法显示"))
    elif (
        not (items.get("enum") or const_options(items))
        and items.get("format") != "uuid"
        and "ui:widget" not in ui
    ):
        # A list of free texts: typed on one line, split at commas (see static/mobile/widgets.js).
        ui.setdefault("ui:help", _("多项请用逗号或顿号分隔"))
