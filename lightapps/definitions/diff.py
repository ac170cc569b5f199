"""版本差异: what changed between two definitions, field by field, for the designer to read
before publishing (and for the API).

Fields are compared by their path (`hazards[].kind`), so a field moved into a condition or
re-titled is "changed", not removed and added. Choices are compared by value.
"""

from typing import Any

from django.utils.translation import gettext as _

from .dialect import fields_of

# Schema keywords whose change a designer should see, with their Chinese names.
CONSTRAINTS = {
    "minLength": "最少字数",
    "maxLength": "最多字数",
    "minimum": "最小值",
    "maximum": "最大值",
    "exclusiveMinimum": "下限（不含）",
    "exclusiveMaximum": "上限（不含）",
    "pattern": "格式",
    "format": "格式",
    "minItems": "最少项数",
    "maxItems": "最多项数",
    "type": "类型",
}


def _flatten(fields: list[dict], prefix: str = "") -> dict[str, dict]:
    out: dict[str, dict] = {}
    for f in fields:
        path = f"{prefix}{f['name']}"
        out[path] = f
        if f["kind"] == "group":
            out.update(_flatten(f["fields"], f"{path}." if f.get("nested") else f"{path}[]."))
    return out


def _condition_text(field: dict) -> str:
    when = field.get("visible_when")
    if not when:
        return ""
    values = when.get("in", when.get("contains", []))
    return f"{when['field']} ∈ {values!r}"


def _changes(old: dict, new: dict) -> list[dict]:
    changes = []

    def add(what: str, before: Any, after: Any) -> None:
        changes.append({"what": what, "from": before, "to": after})

    if old["title"] != new["title"]:
        add(_("标题"), old["title"], new["title"])
    if old["kind"] != new["kind"]:
        add(_("控件"), old["kind"], new["kind"])
    if old["required"] != new["required"]:
        add(
            _("必填"),
            _("是") if old["required"] else _("否"),
            _("是") if new["required"] else _("否"),
        )
    if _condition_text(old) != _condition_text(new):
        add(_("显示条件"), _condition_text(old) or "—", _condition_text(new) or "—")
    if old.get("unit", "") != new.get("unit", ""):
        add(_("单位"), old.get("unit") or "—", new.get("unit") or "—")
    for key, label in CONSTRAINTS.items():
        a, b = old["schema"].get(key), new["schema"].get(key)
        if a != b:
            add(_(label) + f"（{key}）", "—" if a is None else a, "—" if b is None else b)
    old_choices = {repr(c["value"]): c for c in old.get("choices", [])}
    new_choices = {repr(c["value"]): c for c in new.get("choices", [])}
    added = [new_choices[k] for k in new_choices if k not in old_choices]
    removed = [old_choices[k] for k in old_choices if k not in new_choices]
    if added or removed:
        changes.append(
            {
                "what": _("选项"),
                "added": [{"value": c["value"], "label": c["label"]} for c in added],
                "removed": [{"value": c["value"], "label": c["label"]} for c in removed],
            }
        )
    relabeled = [
        (old_choices[k]["label"], new_choices[k]["label"])
        for k in new_choices
        if k in old_choices and old_choices[k]["label"] != new_choices[k]["label"]
    ]
    for before, after in relabeled:
        add(_("选项名称"), before, after)
    return changes


def _summary(path: str, field: dict) -> dict:
    return {"path": path, "title": field["title"], "kind": field["kind"]}


def definition_diff(old_schema: Any, old_ui: Any, new_schema: Any, new_ui: Any) -> dict:
    """{"added": [...], "removed": [...], "changed": [{path, title, kind, changes}], "same": bool}"""
    old = _flatten(fields_of(old_schema or {}, old_ui or {}))
    new = _flatten(fields_of(new_schema or {}, new_ui or {}))
    added = [_summary(p, f) for p, f in new.items() if p not in old]
    removed = [_summary(p, f) for p, f in old.items() if p not in new]
    changed = []
    for path, field in new.items():
        if path in old:
            changes = _changes(old[path], field)
            if changes:
                changed.append({**_summary(path, field), "changes": changes})
    old_order = [p for p in old if p in new]
    new_order = [p for p in new if p in old]
    return {
        "added": added,
        "removed": removed,
        "changed": changed,
        "reordered": old_order != new_order,
        "same": not (added or removed or changed) and old_order == new_order,
    }


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    text = str(value)
    return text if len(text) <= 40 else text[:39] + "…"


def diff_in_words(diff: dict) -> list[str]:
    """The diff as sentences a designer reads before publishing: 字段新增 / 删除 / 改名 /
    选项变化 / 必填变化 and the rest, one line each."""
    lines = [_("新增字段“%s”") % f["title"] for f in diff.get("added", [])]
    lines += [_("删除字段“%s”") % f["title"] for f in diff.get("removed", [])]
    for field in diff.get("changed", []):
        title = field["title"]
        for change in field["changes"]:
            what = change["what"]
            if what == _("标题"):
                lines.append(
                    _("字段“%(a)s”改名为“%(b)s”") % {"a": change["from"], "b": change["to"]}
                )
            elif what == _("选项"):
                parts = []
                if change["added"]:
                    parts.append(
                        _("新增 %s") % "、".join(_shown(c["label"]) for c in change["added"])
                    )
                if change["removed"]:
                    parts.append(
                        _("删除 %s") % "、".join(_shown(c["label"]) for c in change["removed"])
                    )
                lines.append(_("“%(f)s”的选项：%(p)s") % {"f": title, "p": "；".join(parts)})
            elif what == _("必填"):
                lines.append(
                    (_("“%s”改为必填") if change["to"] == _("是") else _("“%s”改为选填")) % title
                )
            else:
                lines.append(
                    _("“%(f)s”的%(w)s：%(a)s → %(b)s")
                    % {
                        "f": title,
                        "w": what,
                        "a": _shown(change["from"]),
                        "b": _shown(change["to"]),
                    }
                )
    if diff.get("reordered"):
        lines.append(_("字段顺序有调整"))
    if diff.get("flow_changed"):
        lines.append(_("流程设置有修改"))
    if not lines and diff.get("definition_changed"):
        lines.append(_("说明、提示等显示设置有修改"))
    return lines
