"""Definition checks at publish: every problem of a definition, each with a JSON pointer."""

from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from .fields import (
    ATTACHMENT_KINDS,
    VISIBLE_IF,
    WIDGET_ALIASES,
    WIDGETS,
    choices_of,
    conditional_parts,
    section_members,
)
from .fields import fields_of as _fields_of
from .flow_checks import flow_problems
from .logic import logic_vars
from .logic_checks import logic_problems
from .validation import SchemaUncompilable, compile_schema, pattern_compile_error

_META = Draft202012Validator(Draft202012Validator.META_SCHEMA)

# The JSON types each widget can hold; a widget on another type is a mistake of the designer.
WIDGET_TYPES = {
    "text": {"string"},
    "textarea": {"string"},
    "address": {"string"},
    "mobile": {"string"},
    "idcard": {"string"},
    "date": {"string"},
    "time": {"string"},
    "datetime": {"string"},
    "signature": {"string"},
    "integer": {"integer", "number"},
    "number": {"number", "integer"},
    "rating": {"integer"},
    "orgunit": {"integer"},
    "person": {"string"},
    "boolean": {"boolean"},
    "photos": {"array"},
    "files": {"array"},
    "checkboxes": {"array"},
    "location": {"object"},
    "heading": {"null"},
    "note": {"null"},
}


def pointer(*parts: Any) -> str:
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def _problem(where: str, message: str) -> dict:
    return {"pointer": where, "message": message}


def _meta_problems(schema: dict) -> list[dict]:
    problems = []
    for error in sorted(_META.iter_errors(schema), key=lambda e: list(map(str, e.absolute_path))):
        problems.append(
            _problem(
                pointer("schema", *error.absolute_path),
                _("不是有效的 JSON Schema：%s") % error.message,
            )
        )
    problems += _keyword_problems(schema)
    if problems:
        return problems
    try:
        compile_schema(schema)
    except SchemaUncompilable as exc:  # e.g. a $ref to a part that is not there
        problems.append(_problem("/schema", _("表单定义无法编译：%s") % exc))
    return problems


REFS = ("$ref", "$dynamicRef")


def _keyword_problems(schema: dict) -> list[dict]:
    """Patterns the linear-time engine cannot run (lookaround, back-references, bad syntax), and
    references outside the definition (never fetched: see validation.py)."""
    problems = []
    stack: list[tuple[tuple, Any]] = [(("schema",), schema)]
    while stack:
        where, node = stack.pop()
        if isinstance(node, list):
            stack.extend((where + (i,), child) for i, child in enumerate(node))
            continue
        if not isinstance(node, dict):
            continue
        for key in REFS:
            ref = node.get(key)
            if key in node and not (isinstance(ref, str) and ref.startswith("#")):
                message = _("只能引用本定义内的内容（以 # 开头），不能引用“%s”") % str(ref)[:100]
                problems.append(_problem(pointer(*where, key), message))
        found = []
        if isinstance(node.get("pattern"), str):
            found.append((where + ("pattern",), node["pattern"]))
        if isinstance(node.get("patternProperties"), dict):
            found += [(where + ("patternProperties", k), k) for k in node["patternProperties"]]
        for at, pattern in found:
            if pattern_compile_error(pattern):
                message = (
                    _("格式规则“%s”无法使用：不支持环视、反向引用等需要回溯的写法，或写法有误")
                    % pattern
                )
                problems.append(_problem(pointer(*at), message))
        stack.extend((where + (k,), child) for k, child in node.items())
    return sorted(problems, key=lambda p: p["pointer"])


def _ui_problems(schema: dict, ui: dict, base: tuple) -> list[dict]:
    """UI keys naming no field, unknown widgets, widgets on the wrong type; recursing into groups."""
    problems = []
    fields = {f["name"]: f for f in _fields_of(schema, ui)}
    for key, value in ui.items():
        if key.startswith("ui:"):
            continue
        if key not in fields and not (
            isinstance(value, dict) and value.get("ui:widget") == "hidden"
        ):
            problems.append(_problem(pointer(*base, key), _("界面定义中的“%s”不是表单字段") % key))
            continue
        if not isinstance(value, dict):
            problems.append(_problem(pointer(*base, key), _("界面定义中的“%s”应为对象") % key))
            continue
        widget = value.get("ui:widget")
        if widget is not None and widget not in WIDGETS and widget not in WIDGET_ALIASES:
            problems.append(
                _problem(pointer(*base, key, "ui:widget"), _("不支持的控件“%s”") % widget)
            )
        elif key in fields and widget is not None:
            field = fields[key]
            ptype = field["schema"].get("type")
            allowed = WIDGET_TYPES.get(field["kind"])
            if allowed and isinstance(ptype, str) and ptype not in allowed:
                problems.append(
                    _problem(
                        pointer(*base, key, "ui:widget"),
                        _("控件“%(w)s”不能用于类型为 %(t)s 的字段“%(f)s”")
                        % {"w": widget, "t": ptype, "f": field["title"]},
                    )
                )
        if key in fields and fields[key]["kind"] == "group":
            field = fields[key]
            if field.get("nested"):
                problems += _ui_problems(field["schema"], value, (*base, key))
            elif isinstance(value.get("items"), dict):
                problems += _ui_problems(
                    field["schema"].get("items", {}), value["items"], (*base, key, "items")
                )
    order = ui.get("ui:order", [])
    if not isinstance(order, list):
        problems.append(_problem(pointer(*base, "ui:order"), _("字段顺序应为列表")))
    else:
        for i, name in enumerate(order):
            hidden = isinstance(ui.get(name), dict) and ui[name].get("ui:widget") == "hidden"
            if name != "*" and name not in fields and not hidden:
                problems.append(
                    _problem(
                        pointer(*base, "ui:order", i), _("字段顺序中的“%s”不是表单字段") % name
                    )
                )
    return problems


def _choice_problems(fields: list[dict], base: tuple) -> list[dict]:
    """enum vs enumNames, duplicate choices, defaults that are not a choice; inside groups too."""
    problems = []
    for f in fields:
        prop = f["schema"]
        where = (*base, f["name"])
        for sub, target in ((), prop), (("items",), prop.get("items")):
            if not isinstance(target, dict):
                continue
            enum, names = target.get("enum"), target.get("enumNames")
            if isinstance(enum, list) and isinstance(names, list) and len(names) != len(enum):
                problems.append(
                    _problem(
                        pointer(*where, *sub, "enumNames"),
                        _("“%(t)s”有 %(n)d 个选项，却有 %(m)d 个选项名称")
                        % {"t": f["title"], "n": len(enum), "m": len(names)},
                    )
                )
            choices = choices_of(target) or []
            values = [repr(c["value"]) for c in choices]
            if len(set(values)) != len(values):
                problems.append(_problem(pointer(*where, *sub), _("“%s”有重复的选项") % f["title"]))
            if (
                choices
                and "default" in target
                and target["default"] not in [c["value"] for c in choices]
            ):
                problems.append(
                    _problem(
                        pointer(*where, *sub, "default"),
                        _("“%s”的默认值不是它的选项") % f["title"],
                    )
                )
        if f["kind"] in {"radio", "select", "checkboxes"} and not f.get("choices"):
            problems.append(_problem(pointer(*where), _("“%s”没有可选的选项") % f["title"]))
        if f["kind"] in ATTACHMENT_KINDS - {"signature"} and prop.get("type") == "array":
            items = prop.get("items")
            if not (isinstance(items, dict) and items.get("format") == "uuid"):
                problems.append(
                    _problem(
                        pointer(*where, "items"),
                        _("“%s”应为附件编号的列表（items 的 format 为 uuid）") % f["title"],
                    )
                )
        if f["kind"] == "group":
            sub = () if f.get("nested") else ("items", "properties")
            problems += _choice_problems(
                f["fields"], (*where, *sub) if sub else (*where, "properties")
            )
    return problems


def _condition_problems(schema: dict, fields: dict) -> list[dict]:
    """Conditions naming a missing field, conditions that can never hold, shapes the phone
    cannot evaluate."""
    problems = []
    top = schema.get("properties", {})
    for i, part in enumerate(schema.get("allOf", []) or []):
        if not isinstance(part, dict) or "if" not in part:
            continue
        parts = conditional_parts({"allOf": [part]})
        if not parts:
            problems.append(
                _problem(
                    pointer("schema", "allOf", i, "if"),
                    _("条件只支持“某个字段等于（或属于、包含）某些值”的写法，手机上无法判断此条件"),
                )
            )
            continue
        condition = parts[0][0]
        name = condition["field"]
        where = pointer("schema", "allOf", i, "if", "properties", name)
        if name not in top:
            problems.append(_problem(where, _("条件引用了不存在的字段“%s”") % name))
            continue
        prop = top[name]
        values = condition.get("in", condition.get("contains", []))
        target = prop.get("items", {}) if "contains" in condition else prop
        possible = _possible_values(target)
        if possible is not None and not any(v in possible for v in values):
            title = fields[name]["title"] if name in fields else name
            problems.append(_problem(where, _("条件永远不会成立：“%s”不可能取这些值") % title))
    return problems


def _possible_values(prop: dict) -> list | None:
    """The values a field can take when they are few (choices, yes/no, const), else None."""
    if not isinstance(prop, dict):
        return None
    choices = choices_of(prop)
    if choices is not None:
        return [c["value"] for c in choices]
    if "const" in prop:
        return [prop["const"]]
    if prop.get("type") == "boolean":
        return [True, False]
    return None


def _field_base(schema: dict, name: str) -> tuple:
    """Where a top-level field's schema lives: under properties, or under an allOf `then`."""
    if name in schema.get("properties", {}):
        return ("schema", "properties")
    for i, part in enumerate(schema.get("allOf", []) or []):
        then = part.get("then") if isinstance(part, dict) else None
        if isinstance(then, dict) and name in (then.get("properties") or {}):
            return ("schema", "allOf", i, "then", "properties")
    return ("schema", "properties")


def _titles_and_kinds(fields: list[dict]) -> tuple[dict, dict]:
    """Path template ("hazards[].cost") -> title, and -> kind, of the form's fields."""
    titles, kinds = {}, {}
    for f in fields:
        titles[f["name"]], kinds[f["name"]] = f["title"], f["kind"]
        if f["kind"] == "group" and not f.get("nested"):
            for sub in f["fields"]:
                titles[f"{f['name']}[].{sub['name']}"] = sub["title"]
                kinds[f"{f['name']}[].{sub['name']}"] = sub["kind"]
    return titles, kinds


def _title_of(known: dict, name: str) -> str:
    return known[name]["title"] if name in known else name  # a hidden field is not listed


def _section_problems(schema: dict, ui: dict, known: dict) -> list[dict]:
    """A heading shown only when… hides its section: a condition on a field of that section
    would hide the field that decides it, and could never be met once hidden."""
    problems = []
    for heading, members in section_members(schema, ui).items():
        used = set(logic_vars(schema["properties"][heading][VISIBLE_IF]))
        for name in members:
            if name in used:
                message = _(
                    "分节“%(h)s”的显示条件用到了本节的字段“%(f)s”：本节隐藏时这个字段也隐藏，"
                    "请把它移到分节标题之前"
                ) % {"h": _title_of(known, heading), "f": _title_of(known, name)}
                problems.append(
                    _problem(pointer("schema", "properties", heading, VISIBLE_IF), message)
                )
    return problems


def definition_problems(schema: Any, ui: Any, flow: Any) -> list[dict]:
    """Every problem of a definition as {"pointer", "message"}; empty means publishable."""
    problems: list[dict] = []
    if not isinstance(schema, dict):
        return [_problem("/schema", _("表单定义必须是 JSON 对象"))]
    problems += _meta_problems(schema)
    if (
        schema.get("type") != "object"
        or not isinstance(schema.get("properties"), dict)
        or not (schema["properties"])
    ):
        problems.append(_problem("/schema", _("表单定义必须是带字段（properties）的对象")))
        return problems
    if not isinstance(ui, dict):
        problems.append(_problem("/ui", _("界面定义必须是 JSON 对象")))
        ui = {}
    # With a meta-schema error the other checks still run, so one publish lists every problem;
    # a schema malformed where they look stops them, and the meta-schema problems say why.
    broken = bool(problems)
    try:
        fields = _fields_of(schema, ui)
        known = {f["name"]: f for f in fields}
        problems += _ui_problems(schema, ui, ("ui",))
        for f in fields:
            problems += _choice_problems([f], _field_base(schema, f["name"]))
        problems += _condition_problems(schema, known)
        problems += logic_problems(schema, *_titles_and_kinds(fields))
        problems += _section_problems(schema, ui, known)
        problems += flow_problems(flow, fields=known)
    except (TypeError, AttributeError, KeyError, ValueError, IndexError):
        if not broken:
            raise
    return problems
