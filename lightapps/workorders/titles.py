"""工单标题: what and where, at a glance — "应用 · 地址或网格 · 隐患类型".

A supervisor with 200 open orders reads the list by its titles, so a title names the app, the
place (the report's address, else the grid it lies in) and the kind of problem (the answer to a
choice whose label speaks of 隐患 / 险情 / 问题 / 事件 / 案件, in the form or in its first
repeated group). Read from the report with the version it was made with; nothing is asked of the
designer, and a form without such fields still gets "应用 · 网格".
"""

from typing import Any

from lightapps.definitions.dialect import fields_of
from lightapps.orgs.models import OrgUnit

TITLE_MAX = 200
# A choice field is the problem's kind when its label says so (隐患类型, 问题类别, 险情类型 …).
KIND_WORDS = ("隐患", "险情", "问题", "事件", "案件")
# A one-line text field is the address when its label says so (房屋地址, 工地地址, 事发地点 …).
PLACE_WORDS = ("地址", "地点", "位置")
KINDS_SHOWN = 2


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _address(fields: list[dict], data: dict) -> str:
    for field in fields:
        value = _text(data.get(field["name"]))
        if not value:
            continue
        if field["kind"] == "address":
            return value
        if field["kind"] == "text" and any(w in field["title"] for w in PLACE_WORDS):
            return value
    return ""


def _is_kind(field: dict) -> bool:
    return field["kind"] in {"radio", "select"} and any(w in field["title"] for w in KIND_WORDS)


def _label(field: dict, value: Any) -> str:
    for choice in field.get("choices", []):
        if choice["value"] == value:
            return str(choice["label"])
    return _text(value) if isinstance(value, str) else ""


def _kinds(fields: list[dict], data: dict) -> list[str]:
    for field in fields:
        if _is_kind(field):
            label = _label(field, data.get(field["name"]))
            if label:
                return [label]
    for field in fields:
        if field["kind"] != "group" or field.get("nested"):
            continue
        inner = [f for f in field["fields"] if _is_kind(f)]
        items = data.get(field["name"])
        if not inner or not isinstance(items, list):
            continue
        labels: list[str] = []
        for item in items:
            label = _label(inner[0], item.get(inner[0]["name"])) if isinstance(item, dict) else ""
            if label and label not in labels:
                labels.append(label)
        if labels:
            return labels
    return []


def work_order_title(*, app_name: str, schema: dict, ui: dict, data: dict, place: OrgUnit) -> str:
    """The order's title from its report: app · address (else the place's name) · kinds."""
    data = data if isinstance(data, dict) else {}
    fields = fields_of(schema, ui)
    parts = [app_name, _address(fields, data) or place.name]
    kinds = _kinds(fields, data)
    if kinds:
        shown = "、".join(kinds[:KINDS_SHOWN])
        parts.append(shown + ("等" if len(kinds) > KINDS_SHOWN else ""))
    return " · ".join(p for p in parts if p)[:TITLE_MAX]


SEARCH_MAX = 4000
SEARCHED_KINDS = frozenset({"text", "textarea", "address", "radio", "select", "checkboxes"})


def _search_parts(fields: list[dict], data: dict, out: list[str]) -> None:
    for field in fields:
        value = data.get(field["name"])
        kind = field["kind"]
        if kind == "group":
            items = [value] if field.get("nested") else value
            for item in items if isinstance(items, list) else []:
                if isinstance(item, dict):
                    _search_parts(field["fields"], item, out)
        elif kind in {"radio", "select"}:
            out.append(_label(field, value))
        elif kind == "checkboxes" and isinstance(value, list):
            out.extend(_label(field, v) for v in value)
        elif kind in SEARCHED_KINDS:
            out.append(_text(value))


def work_order_search_text(*, schema: dict, ui: dict, data: dict) -> str:
    """What the console's free-text search reads besides number and title: the text answers and
    the choice labels, one line (personal kinds are never among SEARCHED_KINDS)."""
    out: list[str] = []
    _search_parts(fields_of(schema, ui), data if isinstance(data, dict) else {}, out)
    return " ".join(p for p in out if p)[:SEARCH_MAX]
