"""Columns of an app's tables: the union of all its versions' fields, newest order first."""

from collections.abc import Iterable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from lightapps.definitions.dialect import DISPLAY_ONLY, fields_of
from lightapps.definitions.models import LightAppVersion

LOCATION_PARTS = (("lat", _lazy("纬度")), ("lng", _lazy("经度")), ("accuracy", _lazy("精度（米）")))


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
