"""导出 CSV: the data page's main table, or one repeated group's items, as streamed CSV.

A CSV holds one table: `table=""` the reports (what the Excel's first sheet holds), or a group's
key for its items (what the Excel's sheet of that group holds, each item with its report's id).
No row limit: the rows are read in batches and sent as they are written.
"""

from collections.abc import Callable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.audit.services import audit_record
from lightapps.csvstream import csv_stream
from lightapps.definitions.models import LightApp
from lightapps.errors import DomainError
from lightapps.orgs.models import Person

from .cells import Links
from .columns import data_layout
from .filters import DataFilters, submissions_for_data
from .tables import (
    BATCH,
    data_rows,
    group_meta_headers,
    meta_headers,
    other_header,
    versions_by_number,
)


def _cell(value, base_url: str):
    if isinstance(value, Links):
        return "\n".join(f"{link['name']} {base_url}{link['url']}".strip() for link in value)
    return value


def submissions_export_csv(
    *,
    person: Person,
    app: LightApp,
    filters: DataFilters,
    base_url: str = "",
    table: str = "",
    progress: Callable[[int], None] | None = None,
) -> Iterator[bytes]:
    """The CSV bytes of the app's data the person may see (audited when asked, not when sent);
    `progress(reports so far)` every BATCH reports (a background export's bar)."""
    versions = versions_by_number(app)
    layout = data_layout(versions.values())
    groups = {t.key: t for t in layout.groups}
    if table and table not in groups:
        raise DomainError(
            _("筛选条件有误，请修改后再试"),
            code="invalid_filter",
            fields={"table": [_("没有这个重复组：%s") % table[:60]]},
        )
    qs = submissions_for_data(person=person, app=app, filters=filters)
    audit_record(
        "data.export",
        actor=person,
        target=app,
        details={"filters": filters.as_query(), "format": "csv", "table": table},
    )
    rows = data_rows(qs.iterator(chunk_size=BATCH), layout, versions)
    if progress:
        rows = _counted(rows, progress)
    if not table:
        header = meta_headers() + [c.title for c in layout.main.columns] + [other_header()]
        lines = ([_cell(v, base_url) for v in r.meta + r.cells + [r.other]] for r in rows)
    else:
        header = group_meta_headers() + [c.title for c in groups[table].columns]
        lines = (
            [_cell(v, base_url) for v in item] for r in rows for item in r.groups.get(table, [])
        )
    return csv_stream(header, lines)


def _counted(rows, progress: Callable[[int], None]):
    for n, row in enumerate(rows, 1):
        yield row
        if n % BATCH == 0:
            progress(n)


def csv_filename(app_name: str, table_title: str = "") -> str:
    part = f"-{table_title}" if table_title else ""
    return f"{app_name}-上报数据{part}-{timezone.localdate():%Y%m%d}.csv"
