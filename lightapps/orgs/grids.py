"""网格定位: which grid's boundary covers a point, from a spatial index kept in each process
(with the units by code, which routing rules name).

The index is shapely's STRtree over the grids' prepared polygons, in tree order (by path), so a
point asks only the few grids whose bounding boxes hold it, whatever the number of grids. It is
built once per process and rebuilt when any org unit changes: every save or delete of an OrgUnit
bumps a version in the cache (at once, and again after its commit, so another process never
keeps an index built from before the change). With Redis the version is shared by every
process; on the embedded default (one process, local-memory cache) it is that process's own.
Writes that bypass `save()` (queryset `update`, `bulk_create`) must call `grid_index_invalidate`.
"""

import threading
import time
import uuid
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import transaction
from shapely import STRtree
from shapely.geometry import Point, shape
from shapely.prepared import prep

from .models import OrgUnit

VERSION_KEY = "orgs:grid-index-version"


# What the index keeps of a grid and of its street, to hand out OrgUnit rows without a query.
UNIT_FIELDS = ("id", "name", "kind", "code", "parent_id", "path", "depth")


@dataclass(frozen=True)
class _Index:
    version: str
    tree: STRtree | None
    grid_ids: list[int]
    polygons: list  # prepared, in path order
    rows: dict[int, tuple] = field(default_factory=dict)  # grid id -> (grid row, street row)
    by_code: dict[str, tuple] = field(default_factory=dict)  # code -> unit row (first by path)


_lock = threading.Lock()
_index: _Index | None = None


# How long a process trusts the version it last read (seconds): a report asks the index several
# times (its grid, the grid's street, a department by code, the reporter's street), which would
# be a cache round trip each. Another process's change is seen within this; this process's own
# at once (grid_index_invalidate forgets the version read).
VERSION_TRUSTED_SECONDS = 1.0
_version_read: tuple[float, str] | None = None


def grid_index_invalidate() -> None:
    """Every process rebuilds its grid index before its next lookup (another process within
    VERSION_TRUSTED_SECONDS)."""
    global _version_read
    _version_read = None
    cache.set(VERSION_KEY, uuid.uuid4().hex, timeout=None)


def org_unit_changed(**_kwargs) -> None:
    """OrgUnit post_save / post_delete: a boundary, a kind or a path may have changed."""
    grid_index_invalidate()
    transaction.on_commit(grid_index_invalidate)


def _current_version() -> str:
    global _version_read
    now = time.monotonic()
    read = _version_read
    if read is not None and now - read[0] < VERSION_TRUSTED_SECONDS:
        return read[1]
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, timeout=None)
        version = cache.get(VERSION_KEY) or ""
    _version_read = (now, version)
    return version


def _build(version: str) -> _Index:
    grid_ids, polygons, shapes, rows, by_code = [], [], [], {}, {}
    for row in OrgUnit.objects.exclude(code="").order_by("path").values_list(*UNIT_FIELDS):
        by_code.setdefault(row[UNIT_FIELDS.index("code")], row)
    streets = {
        row[UNIT_FIELDS.index("path")]: row
        for row in OrgUnit.objects.filter(kind=OrgUnit.Kind.STREET).values_list(*UNIT_FIELDS)
    }
    grids = (
        OrgUnit.objects.filter(kind=OrgUnit.Kind.GRID, boundary__isnull=False)
        .order_by("path")
        .values_list("boundary", *UNIT_FIELDS)
    )
    for boundary, *unit in grids:
        try:
            polygon = shape(boundary)
        except (ValueError, TypeError, AttributeError, KeyError, IndexError):
            continue  # a broken boundary routes nothing rather than everything
        if polygon.is_empty or not polygon.is_valid:
            continue
        pk, path = unit[0], unit[UNIT_FIELDS.index("path")]
        # The nearest street above: the longest of the path's prefixes ("1/5/" of "1/5/23/").
        parts = path.rstrip("/").split("/")
        prefixes = ("/".join(parts[:n]) + "/" for n in range(len(parts), 0, -1))
        street = next((streets[p] for p in prefixes if p in streets), None)
        grid_ids.append(pk)
        polygons.append(prep(polygon))
        shapes.append(polygon)
        rows[pk] = (tuple(unit), street)
    tree = STRtree(shapes) if shapes else None
    return _Index(version, tree, grid_ids, polygons, rows, by_code)


def _current_index() -> _Index:
    global _index
    version = _current_version()
    index = _index
    if index is None or index.version != version:
        with _lock:
            index = _index
            if index is None or index.version != version:
                index = _index = _build(version)
    return index


def _unit(row: tuple) -> OrgUnit:
    """A fresh OrgUnit of a kept row (its other fields, e.g. the boundary, load when read)."""
    return OrgUnit.from_db("default", UNIT_FIELDS, row)


def street_of_grid(grid_id: int) -> OrgUnit | None:
    """The street of an indexed grid (one with a boundary), without a query; else None."""
    kept = _current_index().rows.get(grid_id)
    return _unit(kept[1]) if kept and kept[1] else None


def unit_by_code(code: str) -> OrgUnit | None:
    """The unit of a code (the first by tree order), without a query: routing rules name
    departments and streets by code, and the index keeps every coded unit."""
    kept = _current_index().by_code.get(code)
    return _unit(kept) if kept else None


def grid_units_at(*, lat: float, lng: float) -> tuple[OrgUnit, OrgUnit | None] | None:
    """The grid covering the point (as grid_id_at) and its street, as OrgUnit rows, without a
    query: the index keeps both, and is rebuilt when any unit changes."""
    grid_id = grid_id_at(lat=lat, lng=lng)
    if grid_id is None:
        return None
    grid, street = _current_index().rows[grid_id]
    return _unit(grid), (_unit(street) if street else None)


def grid_id_at(*, lat: float, lng: float) -> int | None:
    """The id of the first grid (by tree order) whose boundary covers the point, or None.

    `covers`, not `contains`: a point on a boundary counts as inside; on an edge two grids share
    it goes to the first of them.
    """
    index = _current_index()
    if index.tree is None:
        return None
    point = Point(lng, lat)  # GeoJSON order: [lng, lat]
    for i in sorted(int(i) for i in index.tree.query(point)):
        if index.polygons[i].covers(point):
            return index.grid_ids[i]
    return None
