"""The tables of an app's submissions across its versions: columns, cell values, rows."""

import json
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from itertools import islice
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lightapps.definitions.dialect import DISPLAY_ONLY, answer_paths, fields_of
from lightapps.definitions.flows import flow_template, state_label
from lightapps.definitions.models import LightApp, LightAppVersion
from lightapps.orgs.models import OrgUnit, Person
from lightapps.orgs.selectors import unit_labels
from lightapps.submissions.models import Attachment, Submission

# Submissions per round of lookups: queries grow with rows / BATCH, not with rows.
BATCH = 500
LOCATION_PARTS = (("lat", _lazy("纬度")), ("lng", _lazy("经度")), ("accuracy", _lazy("精度（米）")))


# ---------------------------------------------------------------------------------------------
# Columns: the union of all versions
# ---------------------------------------------------------------------------------------------


@dataclass
class Column:
    key: str  # unique within its table: "address", "owner.name", "location.lat", "hazards[]"
    path: tuple[str, ...]  # where the answer is, from the row's object
    title: str
    part: str = ""  # "lat"/"lng"/"accuracy" of a location, "count" of a repeated group
    versions: set[int] = field(default_factory=set)
    removed_since: int | None = None  # the first version without it, when the newest lacks it


@dataclass
class Table:
    key: str  # "" for the main table, else the repeated group's path ("hazards")
    path: tuple[str, ...]
    title: str
    columns: list[Column] = field(default_factory=list)
    versions: set[int] = field(default_factory=set)
    removed_since: int | None = None
    _by_key: dict[str, Column] = field(default_factory=dict, repr=False)

    def add(self, number: int, key: str, path, title: str, part: str = "") -> None:
        """A column of this version: new columns go last, known ones note the version."""
        column = self._by_key.get(key)
        if column is None:
            column = self._by_key[key] = Column(key, path, title, part)
            self.columns.append(column)
        column.versions.add(number)


@dataclass
class Layout:
    """The tables of an app across its versions, and each version's own field descriptors."""

    main: Table
    groups: list[Table]
    # version number -> table key -> column key -> field descriptor of that version
    fields_by_version: dict[int, dict[str, dict[str, dict]]]
    # version number -> its top-level field descriptors (what "其他数据" leaves out, lookups)
    top_by_version: dict[int, list[dict]]


def _walk(fields: list[dict], path: tuple, title: str, leaf, group) -> None:
    """leaf(path, title, field, part) for each answer column, group(path, title, field) for each
    repeated group; nested objects are walked through, a location gives three leaves."""
    for f in fields:
        if f["kind"] in DISPLAY_ONLY:
            continue
        here = (*path, f["name"])
        label = f"{title}·{f['title']}" if title else f["title"]
        if f["kind"] == "group" and f.get("nested"):
            _walk(f["fields"], here, label, leaf, group)
        elif f["kind"] == "group":
            group(here, label, f)
        elif f["kind"] == "location":
            for part, part_title in LOCATION_PARTS:
                leaf(here, f"{label}·{part_title}", f, part)
        else:
            leaf(here, f"{label}（{f['unit']}）" if f.get("unit") else label, f, "")


def data_layout(versions: Iterable[LightAppVersion]) -> Layout:
    """The tables of every version, newest first; columns of removed fields are kept, marked."""
    ordered = sorted(versions, key=lambda v: v.number, reverse=True)
    main = Table(key="", path=(), title="")
    groups: dict[str, Table] = {}
    by_version: dict[int, dict[str, dict[str, dict]]] = {}
    tops: dict[int, list[dict]] = {}

    for version in ordered:
        number = version.number
        top = fields_of(version.schema or {}, version.ui or {})
        tops[number] = top
        own: dict[str, dict[str, dict]] = {"": {}}
        by_version[number] = own
        main.versions.add(number)

        def main_leaf(path, title, f, part, *, number=number, own=own):
            key = ".".join(path) + (f".{part}" if part else "")
            own[""][key] = f
            main.add(number, key, path, title, part)

        def main_group(path, title, f, *, number=number, own=own):
            gkey = ".".join(path)
            own[""][f"{gkey}[]"] = f
            main.add(number, f"{gkey}[]", path, _("%s（条）") % title, "count")
            table = groups.get(gkey)
            if table is None:
                table = groups[gkey] = Table(key=gkey, path=path, title=title)
            table.versions.add(number)
            own[gkey] = {}

            def group_leaf(p, t, sub, part):
                key = ".".join(p) + (f".{part}" if part else "")
                own[gkey][key] = sub
                table.add(number, key, p, t, part)

            def inner_group(p, t, sub):  # a repeat inside a repeat: its items as JSON text
                key = ".".join(p)
                own[gkey][key] = {**sub, "kind": "json"}
                table.add(number, key, p, t)

            _walk(f["fields"], (), "", group_leaf, inner_group)

        _walk(top, (), "", main_leaf, main_group)

    newest = ordered[0].number if ordered else 0
    for table in [main, *groups.values()]:
        if newest not in table.versions and table.versions:
            table.removed_since = _first_missing(table.versions)
        for column in table.columns:
            if newest not in column.versions:
                column.removed_since = _first_missing(column.versions)
                column.title = _("%(title)s（第%(n)d版起已删除）") % {
                    "title": column.title,
                    "n": column.removed_since,
                }
        if table.removed_since:
            table.title = _("%(title)s（第%(n)d版起已删除）") % {
                "title": table.title,
                "n": table.removed_since,
            }
    return Layout(
        main=main, groups=list(groups.values()), fields_by_version=by_version, top_by_version=tops
    )


def _first_missing(numbers: set[int]) -> int:
    return max(numbers) + 1


# ---------------------------------------------------------------------------------------------
# Values
# ---------------------------------------------------------------------------------------------


class Links(list):
    """Attachments of one answer: [{"name", "url"}]. Pages show links/thumbs, Excel the URLs."""

    is_links = True

    def __init__(self, items, kind: str):
        super().__init__(items)
        self.kind = kind


@dataclass
class _Lookups:
    units: dict[int, str] = field(default_factory=dict)
    people: dict[str, str] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)
    places: dict[int, str] = field(default_factory=dict)


def _lookups(batch: list[Submission], layout: Layout) -> _Lookups:
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
    found = _Lookups()
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
    found.places = unit_labels([s.org_unit for s in batch])
    return found


_UUID = re.compile(r"^[0-9a-fA-F]{8}-?([0-9a-fA-F]{4}-?){3}[0-9a-fA-F]{12}$")


def _is_uuid(value: Any) -> bool:
    return isinstance(value, str) and bool(_UUID.match(value))


def _dig(obj: Any, path: tuple[str, ...]) -> Any:
    for name in path:
        if not isinstance(obj, dict):
            return None
        obj = obj.get(name)
    return obj


def _number(value: Any) -> int | float | None:
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    return None


def _local(moment: datetime | None) -> datetime | None:
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


def cell_value(column: Column, f: dict | None, value: Any, lookups: _Lookups) -> Any:
    """One answer as a cell: numbers stay numbers, dates dates, choices their labels."""
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
            return _local(datetime.fromisoformat(value.replace("Z", "+00:00")))
        except ValueError:
            return value
    if kind == "time" and isinstance(value, str):
        return value[:5] if re.match(r"^\d\d:\d\d", value) else value
    if kind == "idcard" and isinstance(value, str) and len(value) == 18:
        return value[:6] + "*" * 8 + value[14:]  # exports leave the office: keep IDs masked
    if kind == "orgunit" and _number(value) is not None:
        return lookups.units.get(value, str(value))
    if kind == "person" and isinstance(value, str):
        return lookups.people.get(value, value)
    return _plain(value)


# ---------------------------------------------------------------------------------------------
# Rows
# ---------------------------------------------------------------------------------------------


def meta_headers() -> list[str]:
    return [
        _("上报编号"),
        _("版本"),
        _("上报时间"),
        _("设备时间"),
        _("上报人"),
        _("所属区域"),
        _("工单号"),
        _("工单状态"),
    ]


def group_meta_headers() -> list[str]:
    return [_("上报编号"), _("序号"), _("上报时间"), _("所属区域")]


def other_header() -> str:
    return _("其他数据")


@dataclass
class DataRow:
    submission: Submission
    meta: list[Any]
    cells: list[Any]
    other: str | None
    groups: dict[str, list[list[Any]]]  # table key -> item rows (meta + cells)


def versions_by_number(app: LightApp) -> dict[int, LightAppVersion]:
    return {v.number: v for v in app.versions.all()}


def data_rows(
    submissions: Iterable[Submission], layout: Layout, versions: dict[int, LightAppVersion]
) -> Iterator[DataRow]:
    """The rows of the submissions under a layout, lookups batched per BATCH submissions."""
    by_id = {v.pk: v for v in versions.values()}
    it = iter(submissions)
    while batch := list(islice(it, BATCH)):
        for s in batch:
            s.version_obj = by_id[s.version_id]
            s.version_number = s.version_obj.number
        lookups = _lookups(batch, layout)
        for s in batch:
            yield _row(s, layout, lookups)


def _row(s: Submission, layout: Layout, lookups: _Lookups) -> DataRow:
    number = s.version_number
    own = layout.fields_by_version.get(number, {})
    data = s.data if isinstance(s.data, dict) else {}
    order = getattr(s, "work_order", None)
    received = _local(s.received_at)
    place = lookups.places.get(s.org_unit_id, "")
    meta = [
        str(s.pk),
        number,
        received,
        _local(s.device_time),
        s.reporter.display_name,
        place,
        order.number if order else None,
        state_label(flow_template(s.version_obj.flow), order.state) if order else None,
    ]
    mine = own.get("", {})
    cells = [
        cell_value(c, mine.get(c.key), _dig(data, c.path), lookups) for c in layout.main.columns
    ]
    known = {f["name"] for f in layout.top_by_version.get(number, [])}
    rest = {k: v for k, v in data.items() if k not in known}
    groups = {}
    for table in layout.groups:
        items = _dig(data, table.path)
        fields = own.get(table.key, {})
        rows = []
        for index, item in enumerate(items if isinstance(items, list) else [], start=1):
            item = item if isinstance(item, dict) else {}
            rows.append(
                [str(s.pk), index, received, place]
                + [
                    cell_value(c, fields.get(c.key), _dig(item, c.path), lookups)
                    for c in table.columns
                ]
            )
        groups[table.key] = rows
    return DataRow(
        submission=s,
        meta=meta,
        cells=cells,
        other=json.dumps(rest, ensure_ascii=False) if rest else None,
        groups=groups,
    )
