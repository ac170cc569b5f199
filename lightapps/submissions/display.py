"""上报内容: submitted answers turned into what a page shows, for the phone and the console alike.

One row per answer, in form order, each of the same shape:

    {"name", "title", "section", "kind",
     "text",       # the answer as the person chose it (labels, 是/否, units, local times)
     "multiline",  # a textarea: keep its line breaks
     "empty",      # nothing answered (absent, null, "", []): pages show "—" or skip the row
     "photos",     # kind photos (and a signature, shown as a photo): [{"id", "url"}]
     "files",      # kind files: [{"id", "url", "name"}]; `text` lists the names
     "group",      # kind group: {"headers": [titles], "items": [{"title", "answers": [rows]}]}
     "masked",     # a sensitive answer shown masked (see `masking`): pages may offer 查看
     "reveal"}     # its name for `?reveal=` (a path template such as "witnesses[].id_number")

Headings and notes hold no answer and have no row. Resident IDs, mobile numbers and locations are
masked (110105********002X) through `masking.answers_masked` unless named in `reveal`, which the
caller has authorised and audited (`masking.answers_reveal`); an org unit and a person are shown
by their names.

Every item of a group has one row per column, in the order of `headers`, so the console can
show a group as a table and the phone as stacked items. Answers of fields the version does not
have (any more) come last, titled by their key, rather than being lost or breaking the page.
"""

import json
import uuid
from datetime import datetime, time
from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.definitions.dialect import DISPLAY_ONLY, fields_of
from lightapps.orgs.models import OrgUnit, Person

from .masking import SENSITIVE_KINDS, mask_answers
from .models import Attachment


def answers_for_display(schema: dict, ui: dict, data: Any, *, reveal=frozenset()) -> list[dict]:
    """The answers of `data` under a version's schema and ui, as rows a template can show;
    sensitive answers masked except those named in `reveal` (already authorised and audited)."""
    every = fields_of(schema or {}, ui or {})
    fields = [f for f in every if f["kind"] not in DISPLAY_ONLY]
    data = mask_answers(every, data, reveal=reveal)
    answers = data if isinstance(data, dict) else {}
    # A conditional field that was not answered was hidden on the form: leave it out.
    shown = [f for f in fields if f["visible_when"] is None or answers.get(f["name"]) is not None]
    columns = shown + _removed_fields(every, [answers])
    return [_row(field, answers.get(field["name"]), field["name"], reveal) for field in columns]


def _removed_fields(fields: list[dict], answers: list[dict]) -> list[dict]:
    """Stand-in fields, titled by their key, for answers that no field describes."""
    known = {f["name"] for f in fields}
    keys = dict.fromkeys(key for item in answers for key in item if key not in known)
    return [
        {"name": key, "title": key, "kind": "removed", "section": "", "unit": ""} for key in keys
    ]


def _is_blank(value: Any) -> bool:
    return value is None or value == "" or value == [] or value == {}


def _row(field: dict, value: Any, path: str, reveal=frozenset()) -> dict:
    kind = field["kind"]
    masked = kind in SENSITIVE_KINDS and path not in reveal and not _is_blank(value)
    row = {
        "name": field["name"],
        "title": field["title"],
        "section": field["section"],
        "kind": kind,
        "text": "",
        "multiline": kind == "textarea",
        "empty": False,
        "photos": [],
        "files": [],
        "group": None,
        "masked": masked,
        "reveal": path if masked else "",
    }
    if kind == "signature":
        row["kind"] = "photos"  # pages show a signature as the picture it is
        row["photos"] = photo_links([value] if isinstance(value, str) else [])
        row["empty"] = not row["photos"]
    elif kind == "files":
        row["files"] = _files(value)
        row["text"] = "、".join(f["name"] for f in row["files"])
        row["empty"] = not row["files"]
    elif kind == "photos":
        row["photos"] = photo_links(value)
        row["empty"] = not row["photos"]
    elif kind == "group":
        row["group"] = _group(field, value, path, reveal)
        row["empty"] = not row["group"]["items"]
    elif _is_blank(value):
        row["empty"] = True
    else:
        row["text"] = _text(field, value)
    return row


def _group(field: dict, value: Any, path: str, reveal=frozenset()) -> dict:
    items = [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
    shown = [f for f in field["fields"] if f["kind"] not in DISPLAY_ONLY]
    columns = shown + _removed_fields(field["fields"], items)
    return {
        "headers": [c["title"] for c in columns],
        "items": [
            {
                "title": f"{field['item_title']} {number}",
                "answers": [
                    _row(c, item.get(c["name"]), f"{path}[].{c['name']}", reveal) for c in columns
                ],
            }
            for number, item in enumerate(items, start=1)
        ],
    }


def _files(value: Any) -> list[dict]:
    ids = []
    for pk in value if isinstance(value, list) else []:
        try:
            ids.append(uuid.UUID(str(pk)))
        except ValueError:
            continue
    names = dict(Attachment.objects.filter(pk__in=ids).values_list("pk", "original_name"))
    return [
        {
            "id": str(pk),
            "url": reverse("attachment", args=[str(pk)]),
            "name": names.get(pk) or _("文件 %d") % (i + 1),
        }
        for i, pk in enumerate(ids)
    ]


def photo_links(value: Any) -> list[dict]:
    """[{"id", "url"}] of a list of attachment ids (a photos answer, a step's photos)."""
    photos = []
    for pk in value if isinstance(value, list) else []:
        try:
            photos.append({"id": str(pk), "url": reverse("attachment", args=[str(pk)])})
        except NoReverseMatch:  # not an attachment id: nothing to show
            continue
    return photos


def _text(field: dict, value: Any) -> str:
    """One answer as text, the way the person chose it (labels, not stored values)."""
    kind = field["kind"]
    if kind in {"radio", "select"}:
        return _choice_label(field, value)
    if kind == "checkboxes" and isinstance(value, list):
        return "、".join(_choice_label(field, v) for v in value)
    if kind == "location" and isinstance(value, dict):
        return _location_text(value)
    if kind == "datetime" and isinstance(value, str):
        return _datetime_text(value)
    if kind == "time" and isinstance(value, str):
        return _time_text(value)
    if kind in {"integer", "number"} and not isinstance(value, bool):
        return f"{value} {field['unit']}".strip()
    if kind == "rating" and isinstance(value, int) and not isinstance(value, bool):
        top = field["choices"][-1]["value"] if field.get("choices") else 5
        return "★" * value + "☆" * max(0, top - value) + f"（{value}/{top}）"
    if kind == "orgunit" and isinstance(value, int) and not isinstance(value, bool):
        return _unit_name(value)
    if kind == "person" and isinstance(value, str):
        return _person_name(value)
    return _plain(value)


def _unit_name(pk: int) -> str:
    name = OrgUnit.objects.filter(pk=pk).values_list("name", flat=True).first()
    return name or str(pk)


def _person_name(username: str) -> str:
    person = Person.objects.filter(username=username).first()
    return person.display_name if person else username


def _plain(value: Any) -> str:
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, list):
        return "、".join(_plain(v) for v in value)
    if isinstance(value, dict):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _choice_label(field: dict, value: Any) -> str:
    for choice in field.get("choices", []):
        if choice["value"] == value:
            return choice["label"]
    return _plain(value)


def _coordinate(value: Any) -> str:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:.6f}"
    return "—"


def _location_text(value: dict) -> str:
    if value.get("masked"):  # see masking.mask_value: rounded to about 100 m
        return _("约 纬度 %(lat)s，经度 %(lng)s（精确位置已隐去，误差约 %(m)s 米）") % {
            "lat": value.get("lat"),
            "lng": value.get("lng"),
            "m": value.get("accuracy"),
        }
    text = _("纬度 %(lat)s，经度 %(lng)s") % {
        "lat": _coordinate(value.get("lat")),
        "lng": _coordinate(value.get("lng")),
    }
    accuracy = value.get("accuracy")
    if isinstance(accuracy, int | float) and not isinstance(accuracy, bool):
        text += "（" + _("精度约 %s 米") % round(accuracy) + "）"
    return text


def _datetime_text(value: str) -> str:
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return value
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.strftime("%Y-%m-%d %H:%M")


def _time_text(value: str) -> str:
    try:
        return time.fromisoformat(value.replace("Z", "+00:00")).strftime("%H:%M")
    except ValueError:
        return value
