"""导出工单: the console list under its filters as CSV (UTF-8 with a BOM, so that Excel opens the
Chinese right) or as an Excel workbook with each number a link to its page.

Rows are read in batches (`iterator`), each batch's place names in one query, so an export of
100,000 orders streams without holding them in memory: the CSV goes out as it is written; the
workbook is written to a temporary file in openpyxl's write-only mode and is bounded by
DATA_EXPORT_MAX_ROWS (more: the CSV, or narrower filters).
"""

import tempfile
from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from lightapps.csvstream import ILLEGAL, csv_stream
from lightapps.definitions.flows import flow_template, state_label
from lightapps.errors import DomainError
from lightapps.orgs.selectors import unit_labels

BATCH = 500
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_headers() -> list[str]:
    return [
        _("工单号"), _("标题"), _("应用"), _("位置"), _("状态"), _("紧急程度"),
        _("当前处置单位"), _("上报人"), _("上报时间"), _("办理时限"), _("结案时间"), _("链接"),
    ]  # fmt: skip


def _local(moment: datetime | None) -> datetime | None:
    return timezone.localtime(moment).replace(tzinfo=None) if moment else None


def _batches(orders) -> Iterator[list]:
    it = iter(orders.iterator(chunk_size=BATCH))
    while batch := list(islice(it, BATCH)):
        yield batch


def export_rows(orders, *, base_url: str) -> Iterator[list]:
    """One list per order, in export_headers' order; datetimes local and naive."""
    orders = orders.select_related("app", "org_unit", "assignee_unit", "submission__reporter")
    priorities = {"urgent": _("紧急"), "normal": _("一般")}
    for batch in _batches(orders):
        labels = unit_labels([o.org_unit for o in batch])
        for o in batch:
            reporter = o.submission.reporter
            yield [
                o.number,
                o.title,
                o.app.name,
                labels.get(o.org_unit_id, o.org_unit.name),
                state_label(flow_template(o.submission.version.flow), o.state),
                priorities.get(o.priority, o.priority),
                o.assignee_unit.name if o.assignee_unit else "",
                getattr(reporter, "display_name", "") if reporter else "",
                _local(o.created_at),
                _local(o.due_at),
                _local(o.closed_at),
                f"{base_url}/console/work-orders/{o.pk}/",
            ]


def export_csv(rows: Iterable[list]) -> Iterator[bytes]:
    """The rows as CSV bytes, the BOM and the header first (for StreamingHttpResponse)."""
    return csv_stream(export_headers(), rows)


def export_xlsx(orders, rows: Iterable[list], *, limit: int | None = None):
    """The rows as a workbook in a temporary file (rewound); refused above `limit`
    (DATA_EXPORT_MAX_ROWS)."""
    total = orders.count()
    limit = limit or settings.DATA_EXPORT_MAX_ROWS
    if total > limit:
        raise DomainError(
            _(
                "符合条件的工单有 %(n)d 件，超过 Excel 单次导出上限 %(max)d 件：请导出 CSV，或缩小筛选范围"
            )
            % {"n": total, "max": limit},
            code="export_too_large",
        )
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("工单"))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    link_font = Font(color="1A4F8B", underline="single")
    for letter, width in zip(
        "ABCDEFGHIJKL", (18, 40, 14, 26, 10, 8, 14, 10, 17, 17, 17, 12), strict=True
    ):
        sheet.column_dimensions[letter].width = width
    header = []
    for title in export_headers():
        cell = WriteOnlyCell(sheet, value=title)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in rows:
        cells = []
        for i, value in enumerate(row):
            if isinstance(value, datetime):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = "yyyy-mm-dd hh:mm"
            elif i == len(row) - 1:  # the link: the order's page, clickable
                cell = WriteOnlyCell(sheet, value=_("打开"))
                cell.hyperlink = value
                cell.font = link_font
            else:
                cell = WriteOnlyCell(sheet, value=ILLEGAL.sub("", str(value)) if value else value)
                cell.data_type = (
                    "s" if isinstance(value, str) else cell.data_type
                )  # never a formula
            cells.append(cell)
        sheet.append(cells)
    out = tempfile.TemporaryFile()  # noqa: SIM115 (the response closes it)
    book.save(out)
    out.seek(0)
    return out
