"""Cell values of the tables: each answer read with its own version's field, lookups batched."""

import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from lightapps.definitions.dialect import answer_paths
from lightapps.orgs.models import OrgUnit, Person
from lightapps.orgs.selectors import unit_labels
from lightapps.submissions.models import Attachment, Submission
from lightapps.submissions.selectors import report_place

from .columns import Column, Layout


class Links(list):
    """Attachments of one answer: [{"name", "url"}]. Pages show links/thumbs, Excel the URLs."""

    is_links = True

    def __init__(self, items, kind: str):
        super().__init__(items)
        self.kind = kind


@dataclass
class Lookups:
    units: dict[int, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    places: dict[int, str] = field(default_factory=dict)


def lookups_for(batch: list[Submission], layout: Layout) -> Lookups:
    """Names of the units, people and files the batch's answers mention: one query each."""
    unit_ids: set[int] = set()
    usernames: set[str] = set()
    file_ids: set[str] = set()
    for s in batch:
        fields = layout.top_by_version.get(s.version_number, [])
        for _path, f, value in answer_paths(s.data, fields, {"orgunit", "person", "files"}):
            if f["kind"] == "orgunit" and isinstance(value, int) and not isinstance(value, bool):
                unit_ids.add(value)
            elif f["kind"] == "person" and isinstance(value, str):
                usernames.add(value)
            elif f["kind"] == "files" and isinstance(value, list):
                file_ids.update(str(v) for v in value if _is_uuid(v))
    found = Lookups()
    if unit_ids:
        found.units = dict(OrgUnit.objects.filter(pk__in=unit_ids).values_list("pk", "name"))
    if usernames:
        found.people = {
            p.username: p.display_name for p in Person.objects.filter(username__in=usernames)
        }
    if file_ids:
        found.files = {
            str(pk): name
            for pk, name in Attachment.objects.filter(pk__in=file_ids).values_list(
                "pk", "original_name"
            )
        }
    found.places = unit_labels([report_place(s) for s in batch])
    return found


_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def dig(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(name)
    return obj


def _number(value: Any) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def local_time(moment: datetime | None) -> datetime | None:
    """A naive local time: what Excel can hold and what a reader in Shanghai expects."""
    if moment is None:
        return None
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    return moment.replace(tzinfo=None, microsecond=0)


def _choice(f: dict, value: Any) -> Any:
    for choice in f.get("choices", []):
        if choice["value"] == value:
            return choice["label"]
    return _plain(value)


def _plain(value: Any) -> Any:
    if value is None or value == "" or value == [] or value == {}:
        return None
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, int | float | str):
        return value
    return json.dumps(value, ensure_ascii=False)


_NIL = "00000000-0000-0000-0000-000000000000"


@cache
def _attachment_url_pattern() -> str:
    return reverse("attachment", args=[_NIL])


def _attachment_url(pk: str) -> str:
    """reverse() once, then by string: a 20,000-row export holds some 100,000 photos."""
    return _attachment_url_pattern().replace(_NIL, str(uuid.UUID(pk)))


def _attachment_links(ids: Any, kind: str, names: dict[str, str]) -> Links | None:
    ids = [ids] if isinstance(ids, str) else ids if isinstance(ids, list) else []
    links = [
        {
            "name": names.get(str(pk)) or (_("文件 %d") % (i + 1) if kind == "files" else ""),
            "url": _attachment_url(pk),
        }
        for i, pk in enumerate(ids)
        if _is_uuid(pk)
    ]
    return Links(links, kind) if links else None


def cell_value(column: Column, f: dict | None, value: Any, lookups: Lookups) -> Any:
    """One answer as a cell: numbers stay numbers, dates dates, choices their labels.

    Give it masked answers (`tables` masks each row through `masking.mask_answers`)."""
    if column.part == "count":
        return len(value) if isinstance(value, list) and value else None
    if column.part:  # a location's lat/lng/accuracy
        return _number(value.get(column.part)) if isinstance(value, dict) else None
    kind = f["kind"] if f else "json"  # no field of this version: the answer as it is
    if kind in {"photos", "files", "signature"}:
        return _attachment_links(value, kind, lookups.files)
    if value is None or value == "" or value == []:
        return None
    if kind in {"radio", "select"}:
        return _choice(f, value)
    if kind == "checkboxes" and isinstance(value, list):
        return "、".join(str(_choice(f, v)) for v in value)
    if kind in {"integer", "number", "rating"}:
        number = _number(value)
        return number if number is not None else _plain(value)
    if kind == "date" and isinstance(value, str):
        try:
            return parse_date(value) or value
        except ValueError:
            return value
    if kind == "datetime" and isinstance(value, str):
        try:
            return local_time(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    if kind == "time" and isinstance(value, str):
        return value[:5] if re.match(r"^\d\d:\d\d", value) else value
    if kind == "orgunit" and _number(value) is not None:
        return lookups.units.get(value, str(value))
    if kind == "person" and isinstance(value, str):
        return lookups.people.get(value, value)
    return _plain(value)
