"""Choices as the phone offers them, however they were written: `enum`, `const`, `oneOf`/`anyOf`
of consts or of one-value enums, and RJSF's `ui:enumNames`, `ui:enumOrder`, `ui:enumDisabled`.

Every rewrite here keeps what is valid exactly: reordering, labelling, `{"enum": [v]}` as
`{"const": v}`, a `type` dropped beside an `enum` whose members all have it.
"""

import json
from typing import Any

from django.utils.translation import gettext as _
from jsonschema import Draft202012Validator

from .notes import short

_TYPES = Draft202012Validator.TYPE_CHECKER


def _key(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def const_options(prop: dict) -> list[dict]:
    for key in ("oneOf", "anyOf"):
        options = prop.get(key)
        if (
            isinstance(options, list)
            and options
            and all(isinstance(o, dict) and "const" in o for o in options)
        ):
            return options
    return []


def choices(prop: dict, ctx) -> None:
    """Choices written in any of the usual ways, as the phone offers them."""
    if "const" in prop and "enum" not in prop and not prop.get("readOnly"):
        prop["enum"] = [prop.pop("const")]
    for key in ("oneOf", "anyOf"):
        options = prop.get(key)
        if (
            isinstance(options, list)
            and options
            and all(
                isinstance(o, dict)
                and ("const" in o or (isinstance(o.get("enum"), list) and len(o["enum"]) == 1))
                for o in options
            )
        ):
            for option in options:
                if "const" not in option:
                    option["const"] = option.pop("enum")[0]
                if not isinstance(option.get("title"), str):
                    option["title"] = (
                        short(option["const"])
                        if not isinstance(option["const"], bool)
                        else ("是" if option["const"] else "否")
                    )
    enum = prop.get("enum")
    if not isinstance(enum, list):
        return
    ptype = prop.get("type")
    if ptype in {"object", "array"} or isinstance(ptype, list):
        types = ptype if isinstance(ptype, list) else [ptype]
        keep = [i for i, v in enumerate(enum) if any(_TYPES.is_type(v, t) for t in types)]
        names = prop.get("enumNames")
        prop["enum"] = [enum[i] for i in keep]
        if isinstance(names, list) and len(names) == len(enum):
            prop["enumNames"] = [names[i] for i in keep]
        prop.pop("type")  # the enum says it all, and the phone offers choices of any value
    if any(isinstance(v, dict | list) for v in prop["enum"]) and "enumNames" not in prop:
        prop["enumNames"] = [short(v) for v in prop["enum"]]


def choice_ui(prop: dict, ui: dict, title: str, ui_where: tuple, ctx) -> None:
    """ui:enumNames, ui:enumOrder and ui:enumDisabled, on the field or on a list's items."""
    target = prop
    if prop.get("type") == "array" and isinstance(prop.get("items"), dict):
        target = prop["items"]
    options = const_options(target)
    values = target.get("enum") if isinstance(target.get("enum"), list) else None
    if values is None and options:
        values = [o["const"] for o in options]
    names = ui.pop("ui:enumNames", None)
    if names is not None:
        if isinstance(names, list) and values is not None and len(names) == len(values):
            if options and "enum" not in target:
                for option, label in zip(options, names, strict=True):
                    option["title"] = str(label)
            else:
                target["enumNames"] = [str(n) for n in names]
        else:
            ctx.notes.add(
                (*ui_where, "ui:enumNames"),
                _("“%s”的选项名称与选项个数不符，已不用") % title,
            )
    order = ui.pop("ui:enumOrder", None)
    if order is not None and values is not None and isinstance(order, list):
        _reorder(target, values, options, order, title, ui_where, ctx)
    disabled = ui.get("ui:enumDisabled")
    if disabled is not None:
        known = {_key(v) for v in values or []}
        if not isinstance(disabled, list) or not values:
            ui.pop("ui:enumDisabled")
            ctx.notes.add((*ui_where, "ui:enumDisabled"), _("“%s”没有可停用的选项") % title)
            return
        unknown = [v for v in disabled if _key(v) not in known]
        ui["ui:enumDisabled"] = [v for v in disabled if _key(v) in known]
        message = _(
            "“%(t)s”的选项 %(v)s 在手机上不可选（原表单中显示为灰色）；服务器仍接受这些值"
        ) % {
            "t": title,
            "v": short(ui["ui:enumDisabled"]),
        }
        if unknown:
            message += _("；%s 不是它的选项，已忽略") % short(unknown)
        ctx.notes.add((*ui_where, "ui:enumDisabled"), message)


def _reorder(target, values, options, order, title, ui_where, ctx) -> None:
    keys = [_key(v) for v in values]
    listed = [_key(v) for v in order if v != "*"]
    unknown = [v for v in order if v != "*" and _key(v) not in keys]
    rest = [k for k in keys if k not in listed]
    wanted = []
    for value in order:
        if value == "*":
            wanted += rest
        elif _key(value) in keys and _key(value) not in wanted:
            wanted.append(_key(value))
    wanted += [k for k in keys if k not in wanted]
    index = [keys.index(k) for k in wanted]
    if "enum" in target:
        target["enum"] = [target["enum"][i] for i in index]
        names = target.get("enumNames")
        if isinstance(names, list) and len(names) == len(keys):
            target["enumNames"] = [names[i] for i in index]
    else:
        key = "oneOf" if "oneOf" in target else "anyOf"
        target[key] = [options[i] for i in index]
    if unknown:
        ctx.notes.add(
            (*ui_where, "ui:enumOrder"),
            _("“%(t)s”的选项顺序中 %(v)s 不是它的选项，已忽略") % {"t": title, "v": short(unknown)},
        )
