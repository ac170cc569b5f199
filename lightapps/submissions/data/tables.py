"""Rows of an app's tables: one per submission, one per repeated-group item (上报数据, Excel)."""

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import Any

from django.utils.translation import gettext as _

from lightapps.definitions.flows import flow_template, state_label
from lightapps.definitions.models import LightApp, LightAppVersion
from lightapps.submissions.masking import mask_answers
from lightapps.submissions.models import Submission
from lightapps.submissions.selectors import report_place

from .cells import Lookups, cell_value, dig, local_time, lookups_for
from .columns import Layout

# Submissions per round of lookups: queries grow with rows / BATCH, not with rows.
BATCH = 500


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
        lookups = lookups_for(batch, layout)
        for s in batch:
            yield _row(s, layout, lookups)


def _row(s: Submission, layout: Layout, lookups: Lookups) -> DataRow:
    number = s.version_number
    own = layout.fields_by_version.get(number, {})
    # The table and the export never reveal: personal data stays masked (see masking).
    data = mask_answers(layout.top_by_version.get(number, []), s.data)
    data = data if isinstance(data, dict) else {}
    order = getattr(s, "work_order", None)
    received = local_time(s.received_at)
    place = lookups.places.get(report_place(s).pk, "")
    meta = [
        str(s.pk),
        number,
        received,
        local_time(s.device_time),
        s.reporter.display_name,
        place,
        order.number if order else None,
        state_label(flow_template(s.version_obj.flow), order.state) if order else None,
    ]
    mine = own.get("", {})
    cells = [
        cell_value(c, mine.get(c.key), dig(data, c.path), lookups) for c in layout.main.columns
    ]
    known = {f["name"] for f in layout.top_by_version.get(number, [])}
    rest = {k: v for k, v in data.items() if k not in known}
    groups = {}
    for table in layout.groups:
        items = dig(data, table.path)
        fields = own.get(table.key, {})
        rows = []
        for index, item in enumerate(items if isinstance(items, list) else [], start=1):
            item = item if isinstance(item, dict) else {}
            rows.append(
                [str(s.pk), index, received, place]
                + [
                    cell_value(c, fields.get(c.key), dig(item, c.path), lookups)
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
