"""Fields: one ordered description of the form, used by the phone page, the console and checks."""

import json
from typing import Any

# Every widget the dialect knows (`ui:widget`), i.e. every kind of field descriptor.
WIDGETS = {
    "text",  # single-line text
    "textarea",  # multi-line text
    "integer",
    "number",  # decimal; `ui:options.unit` for both
    "radio",
    "select",  # single choice
    "checkboxes",  # multiple choice
    "boolean",  # yes/no
    "date",
    "time",
    "datetime",
    "photos",  # array of attachment ids; `ui:options.capture` = camera only, `watermark`
    "files",  # array of attachment ids (PDF, Office, images); `ui:options.accept`
    "location",  # {lat, lng, accuracy} from the phone
    "address",  # a postal address, one line
    "orgunit",  # id of an org unit (街镇/网格/居村) under the person's street
    "person",  # username of a person of the person's street
    "mobile",  # CN mobile number (format cn-mobile)
    "idcard",  # 18-digit resident ID (format cn-resident-id)
    "signature",  # one attachment id: the signature drawn on the phone
    "rating",  # integer 1..maximum shown as stars
    "heading",  # a section heading, no answer
    "note",  # a read-only note, no answer
    "group",  # repeated group: array of objects
}

# Kinds that hold no answer.
DISPLAY_ONLY = {"heading", "note"}
# Kinds whose answer names stored attachments.
ATTACHMENT_KINDS = {"photos", "files", "signature"}
# Aliases other RJSF users write, mapped onto ours.
WIDGET_ALIASES = {
    "updown": "integer",
    "range": "integer",
    "password": "text",
    "email": "text",
    "uri": "text",
    "date-time": "datetime",
    "alt-datetime": "datetime",
    "alt-date": "date",
    "checkbox": "boolean",
    "file": "files",
    "hidden": None,
}
ORG_LEVELS = ("street", "grid", "community")
# The logic keywords of a property schema (see logic.py and the package docstring).
VISIBLE_IF = "x-visibleIf"
REQUIRED_IF = "x-requiredIf"
COMPUTE = "x-compute"
LOGIC_KEYS = (VISIBLE_IF, REQUIRED_IF, COMPUTE)


def choices_of(prop: Any) -> list[dict] | None:
    """Choices of an `enum` (labels from `enumNames`) or a `oneOf`/`anyOf` of consts."""
    if not isinstance(prop, dict):
        return None
    if isinstance(prop.get("enum"), list):
        names = prop.get("enumNames") or []
        return [
            {"value": v, "label": str(names[i]) if i < len(names) else _label(v)}
            for i, v in enumerate(prop["enum"])
        ]
    for key in ("oneOf", "anyOf"):
        options = prop.get(key)
        if (
            isinstance(options, list)
            and options
            and all(isinstance(o, dict) and "const" in o for o in options)
        ):
            return [
                {"value": o["const"], "label": o.get("title", _label(o["const"]))} for o in options
            ]
    return None


def _label(value: Any) -> str:
    if value is True:
        return "是"
    if value is False:
        return "否"
    return str(value)


def _is_uuid_array(prop: dict) -> bool:
    items = prop.get("items")
    return isinstance(items, dict) and items.get("format") == "uuid"


def kind_of(prop: dict, ui: dict) -> str:
    """The widget a field is shown with: `ui:widget` when it fits, else inferred from the schema."""
    widget = ui.get("ui:widget") if isinstance(ui, dict) else None
    widget = WIDGET_ALIASES.get(widget, widget)
    ptype = prop.get("type")
    if isinstance(ptype, list):  # ["string", "null"]: an empty answer is left out anyway
        real = [t for t in ptype if t != "null"]
        ptype = real[0] if len(real) == 1 else "string"
    if widget in WIDGETS and widget != "group":
        return widget
    if prop.get("readOnly") and ptype == "null":
        return "note"
    if ptype == "boolean":
        return "boolean"
    if ptype in {"integer", "number"}:
        if choices_of(prop):
            return "radio" if len(choices_of(prop)) <= 4 else "select"
        return ptype
    if ptype == "array":
        items = prop.get("items", {})
        if isinstance(items, dict) and items.get("type") == "object":
            return "group"
        if choices_of(items):
            return "checkboxes"
        if _is_uuid_array(prop):
            return "photos"
        return "text"
    if ptype == "object" and {"lat", "lng"} <= set(prop.get("properties", {})):
        return "location"
    if ptype == "object" and prop.get("properties"):
        return "group"  # a nested object: shown as a one-item group (see `_field`)
    if ptype == "string" or ptype is None:
        choices = choices_of(prop)
        if choices:
            return "radio" if len(choices) <= 4 else "select"
        fmt = prop.get("format")
        return {
            "date": "date",
            "time": "time",
            "date-time": "datetime",
            "cn-mobile": "mobile",
            "cn-resident-id": "idcard",
        }.get(fmt, "text")
    return "text"


def _field(name: str, prop: dict, ui: dict, required: bool, visible_when: dict | None) -> dict:
    prop = prop if isinstance(prop, dict) else {}
    ui = ui if isinstance(ui, dict) else {}
    kind = kind_of(prop, ui)
    options = ui.get("ui:options", {}) if isinstance(ui.get("ui:options"), dict) else {}
    field = {
        "name": name,
        "title": ui.get("ui:title") or prop.get("title", name),
        "description": ui.get("ui:description") or prop.get("description", ""),
        "kind": kind,
        "required": required,
        "help": ui.get("ui:help", ""),
        "placeholder": ui.get("ui:placeholder", ""),
        "section": options.get("section", ""),
        "unit": options.get("unit", ""),
        "visible_when": visible_when,
        # JSON Logic (logic.py), evaluated on the phone (logic.js) and again on the server.
        "visible_if": prop.get(VISIBLE_IF),
        "required_if": prop.get(REQUIRED_IF),
        "compute": prop.get(COMPUTE),
        "schema": prop,
        # 只读: shown with its default, not editable, the default sent (validation refuses others).
        "read_only": bool(prop.get("readOnly")) and kind not in DISPLAY_ONLY,
    }
    if kind in {"radio", "select"}:
        field["choices"] = choices_of(prop) or []
        if not field["choices"] and prop.get("type") == "boolean":
            field["choices"] = [{"value": True, "label": "是"}, {"value": False, "label": "否"}]
    elif kind == "checkboxes":
        field["choices"] = choices_of(prop.get("items", {})) or []
    elif kind == "group":
        if prop.get("type") == "object":  # nested object: one fixed item, see `nested`
            field["fields"] = fields_of(prop, ui)
            field["nested"] = True
        else:
            field["fields"] = fields_of(prop.get("items", {}), ui.get("items", {}))
            field["nested"] = False
        field["item_title"] = options.get("itemTitle", prop.get("title", name))
    elif kind == "photos":
        # 仅拍照: camera only unless the designer allows the album.
        field["capture"] = bool(options.get("capture", True))
        # 水印: the phone stamps capture time and place on each photo (proof it was taken there).
        field["watermark"] = options.get("watermark") is True
    elif kind == "files":
        field["accept"] = str(options.get("accept", ".pdf,.doc,.docx,.xls,.xlsx,image/*"))
    elif kind == "rating":
        top = prop.get("maximum", 5)
        top = top if isinstance(top, int) and 1 < top <= 10 else 5
        low = prop.get("minimum", 1)
        low = low if isinstance(low, int) and 0 <= low < top else 1
        field["choices"] = [{"value": n, "label": str(n)} for n in range(low, top + 1)]
    elif kind == "orgunit":
        levels = options.get("levels") or list(ORG_LEVELS)
        field["levels"] = [lv for lv in levels if lv in ORG_LEVELS] or list(ORG_LEVELS)
        field["choices"] = []  # filled per person by the page (see mobile.views)
    elif kind == "person":
        field["roles"] = list(options.get("roles") or [])
        field["choices"] = []
    if kind in {"photos", "files"}:
        field["min_items"] = prop.get("minItems", 0)
        field["max_items"] = prop.get("maxItems")
    _mark_disabled(field, ui.get("ui:enumDisabled"))
    return field


def _mark_disabled(field: dict, disabled: Any) -> None:
    """RJSF's `ui:enumDisabled`: those choices are not offered on the phone; they stay valid."""
    if not isinstance(disabled, list) or not field.get("choices"):
        return
    keys = {json.dumps(v, sort_keys=True) for v in disabled}
    field["choices"] = [
        {**c, "disabled": True} if json.dumps(c["value"], sort_keys=True) in keys else c
        for c in field["choices"]
    ]


def conditional_parts(schema: dict) -> list[tuple[dict, dict]]:
    """(condition, then) pairs of the supported `allOf`/`if`/`then` shape.

    A condition reads `{"field": name, "in": [values]}` for `const`/`enum` tests, or
    `{"field": name, "contains": [values]}` for `{"contains": {"const"|"enum": …}}` on a multiple
    choice.
    """
    parts = []
    for part in schema.get("allOf", []) if isinstance(schema.get("allOf"), list) else []:
        if not isinstance(part, dict):
            continue
        cond, then = part.get("if"), part.get("then")
        if not isinstance(cond, dict) or not isinstance(then, dict):
            continue
        props = cond.get("properties", {})
        if not isinstance(props, dict) or len(props) != 1:
            continue
        ((field, test),) = props.items()
        if not isinstance(test, dict):
            continue
        if "contains" in test and isinstance(test["contains"], dict):
            values = _test_values(test["contains"])
            if values is not None:
                parts.append(({"field": field, "contains": values}, then))
            continue
        values = _test_values(test)
        if values is not None:
            parts.append(({"field": field, "in": values}, then))
    return parts


def _test_values(test: dict) -> list | None:
    if "const" in test:
        return [test["const"]]
    if isinstance(test.get("enum"), list):
        return list(test["enum"])
    return None


def fields_of(schema: dict, ui: dict) -> list[dict]:
    """The form's fields in display order, with kinds, choices, conditions and groups."""
    if not isinstance(schema, dict):
        return []
    ui = ui if isinstance(ui, dict) else {}
    schema = sections_applied(schema, ui)
    order, props = _ordered_props(schema, ui)
    fields = []
    for name in order:
        field_ui = ui.get(name, {})
        if isinstance(field_ui, dict) and field_ui.get("ui:widget") == "hidden":
            continue
        fields.append(_field(name, props[name][0], field_ui, props[name][1], props[name][2]))
    return fields


def sections_applied(schema: dict, ui: dict) -> dict:
    """The schema with a section heading's x-visibleIf applied to the fields of its section.

    A heading (分节标题) shown only when… takes its section with it: each top-level field after
    it, up to the next heading, is shown only when the heading is (AND-ed with the field's own
    condition). Both sides read the form through this: fields_of (the phone's page and its
    JavaScript), compile_schema and the form logic on the server. The stored definition keeps
    the condition on the heading only, as the designer wrote it.
    """
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict) or not any(
        isinstance(p, dict) and p.get("type") == "null" and VISIBLE_IF in p
        for p in properties.values()
    ):
        return schema
    inherited = {
        name: properties[heading][VISIBLE_IF]
        for heading, names in section_members(schema, ui).items()
        for name in names
    }
    if not inherited:
        return schema
    out = dict(properties)
    for name, condition in inherited.items():
        own = out[name].get(VISIBLE_IF)
        both = condition if own is None else {"and": [condition, own]}
        out[name] = {**out[name], VISIBLE_IF: both}
    return {**schema, "properties": out}


def section_members(schema: dict, ui: dict) -> dict[str, list[str]]:
    """Heading name -> the top-level fields of its section, for headings shown only when…"""
    properties = schema.get("properties") if isinstance(schema, dict) else None
    if not isinstance(properties, dict):
        return {}
    ui = ui if isinstance(ui, dict) else {}
    order, _props = _ordered_props(schema, ui)
    members: dict[str, list[str]] = {}
    current = None
    for name in order:
        prop = properties.get(name)
        if not isinstance(prop, dict):
            continue  # a conditional part's field: its own `if` decides
        field_ui = ui.get(name) if isinstance(ui.get(name), dict) else {}
        if kind_of(prop, field_ui) == "heading":
            current = name if VISIBLE_IF in prop else None
            if current:
                members[current] = []
        elif current:
            members[current].append(name)
    return members


def _ordered_props(schema: dict, ui: dict) -> tuple[list[str], dict]:
    """(names in display order, name -> (prop, required, condition of its conditional part))."""
    props: dict[str, tuple[dict, bool, dict | None]] = {}
    required = set(schema.get("required", []) or [])
    properties = schema.get("properties", {})
    for name, prop in (properties if isinstance(properties, dict) else {}).items():
        props[name] = (prop, name in required, None)
    for condition, then in conditional_parts(schema):
        then_required = set(then.get("required", []) or [])
        for name, prop in (then.get("properties", {}) or {}).items():
            if name not in props:
                props[name] = (prop, name in then_required, condition)
    spec = ui.get("ui:order") if isinstance(ui.get("ui:order"), list) else []
    named = [n for n in spec if n in props]
    if "*" in spec:  # RJSF wildcard: the fields not named go where the star is
        star = spec.index("*")
        before = [n for n in spec[:star] if n in props]
        after = [n for n in spec[star + 1 :] if n in props]
        order = before + [n for n in props if n not in named] + after
    else:
        order = named + [n for n in props if n not in named]
    return order, props


def field_titles(schema: dict, ui: dict | None = None) -> dict[str, str]:
    """Path template -> title, e.g. {"hazards": "隐患", "hazards[].severity": "严重程度"}."""
    titles: dict[str, str] = {}

    def walk(fields: list[dict], prefix: str) -> None:
        for f in fields:
            key = f"{prefix}{f['name']}"
            titles[key] = f["title"]
            if f["kind"] == "group":
                walk(f["fields"], f"{key}." if f.get("nested") else f"{key}[].")

    walk(fields_of(schema, ui or {}), "")
    return titles


def attachment_paths(
    data: Any, fields: list[dict], prefix: str = "", kinds: frozenset | set = ATTACHMENT_KINDS
) -> list[tuple[str, str, list]]:
    """(path, kind, ids) of every attachment answer in data, including inside groups."""
    found: list[tuple[str, str, list]] = []
    if not isinstance(data, dict):
        return found
    for f in fields:
        value = data.get(f["name"])
        path = f"{prefix}{f['name']}"
        if f["kind"] in kinds and f["kind"] in {"photos", "files"} and isinstance(value, list):
            found.append((path, f["kind"], value))
        elif f["kind"] in kinds and f["kind"] == "signature" and isinstance(value, str):
            found.append((path, f["kind"], [value]))
        elif f["kind"] == "group" and f.get("nested"):
            found += attachment_paths(value, f["fields"], f"{path}.", kinds)
        elif f["kind"] == "group" and isinstance(value, list):
            for i, item in enumerate(value):
                found += attachment_paths(item, f["fields"], f"{path}[{i}].", kinds)
    return found


def photo_paths(data: Any, fields: list[dict], prefix: str = "") -> list[tuple[str, list]]:
    """(path, ids) of every photos answer in data, including inside repeated groups."""
    return [(p, ids) for p, _k, ids in attachment_paths(data, fields, prefix, {"photos"})]


def answer_paths(data: Any, fields: list[dict], kinds: set, prefix: str = "") -> list[tuple]:
    """(path, field, value) of every answer of the given kinds, including inside groups."""
    found: list[tuple] = []
    if not isinstance(data, dict):
        return found
    for f in fields:
        value = data.get(f["name"])
        path = f"{prefix}{f['name']}"
        if f["kind"] in kinds and value is not None:
            found.append((path, f, value))
        elif f["kind"] == "group" and f.get("nested"):
            found += answer_paths(value, f["fields"], kinds, f"{path}.")
        elif f["kind"] == "group" and isinstance(value, list):
            for i, item in enumerate(value):
                found += answer_paths(item, f["fields"], kinds, f"{path}[{i}].")
    return found


def ui_order_kept(schema: dict, ui: dict) -> dict:
    """The UI schema with a `ui:order` wherever the form and its groups have none, taken from the
    schema's properties as written.

    PostgreSQL stores definitions as jsonb, which keeps an object's keys in its own order
    (shortest first), not the designer's: without an explicit order the fields of a form, or of
    a repeated group, would come back reshuffled. Saving the order as written keeps it. A
    `ui:order` the designer gave is never touched.
    """
    if not isinstance(schema, dict) or not isinstance(ui, dict):
        return ui
    out = dict(ui)
    properties = schema.get("properties")
    if isinstance(properties, dict):
        names = list(properties)
        for _condition, then in conditional_parts(schema):
            names += [n for n in (then.get("properties") or {}) if n not in names]
        if names and "ui:order" not in out:
            out["ui:order"] = names
        for name, prop in properties.items():
            if not isinstance(prop, dict):
                continue
            field_ui = out.get(name) if isinstance(out.get(name), dict) else {}
            if prop.get("type") == "object" and isinstance(prop.get("properties"), dict):
                if {"lat", "lng"} <= set(prop["properties"]):
                    continue  # a location, not a group
                out[name] = ui_order_kept(prop, field_ui)
            elif prop.get("type") == "array" and isinstance(prop.get("items"), dict):
                items_ui = field_ui.get("items") if isinstance(field_ui.get("items"), dict) else {}
                if prop["items"].get("type") == "object":
                    out[name] = {**field_ui, "items": ui_order_kept(prop["items"], items_ui)}
    return out
