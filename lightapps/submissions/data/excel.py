"""导出 Excel: the tables as one .xlsx workbook, a sheet for the main table and one per group."""

import re
import tempfile
from collections.abc import Callable
from datetime import datetime

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter

from lightapps.audit.services import audit_record
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

# Excel refuses these characters in a cell (openpyxl raises IllegalCharacterError).
# Lone surrogates (which cannot be encoded) and U+FFFE/U+FFFF (which make the file unopenable)
# go too, for text stored before the parser refused them.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
# Excel holds 15 significant digits; a larger integer (or a float it cannot show) is written as
# text so that nothing is rounded or refused.
EXACT_MAX = 999_999_999_999_999
# Excel holds at most 32,767 characters in a cell; a longer text is cut, and says so.
CELL_MAX = 32767


XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def export_filename(app_name: str) -> str:
    return f"{app_name}-上报数据-{timezone.localdate():%Y%m%d}.xlsx"


def submissions_export_xlsx(
    *,
    person: Person,
    app: LightApp,
    filters: DataFilters,
    out,
    base_url: str = "",
    limit: int | None = None,
    progress: Callable[[int], None] | None = None,
    report_url: Callable[[object], str] | None = None,
) -> int:
    """Write the app's data the person may see as an .xlsx workbook to `out`; return the rows.

    Refuses (DomainError `export_too_large`) above `limit` (DATA_EXPORT_MAX_ROWS), before
    writing; `progress(rows so far)` is called every BATCH rows (a background export's bar).
    """

    qs = submissions_for_data(person=person, app=app, filters=filters)
    total = qs.count()
    limit = limit or settings.DATA_EXPORT_MAX_ROWS
    if total > limit:
        raise DomainError(
            _(
                "符合条件的上报有 %(n)d 条，超过单次导出上限 %(max)d 条，请缩小日期范围或区域后再导出"
            )
            % {"n": total, "max": limit},
            code="export_too_large",
        )
    versions = versions_by_number(app)
    layout = data_layout(versions.values())
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="E8F0FC")

    def text_cell(sheet, value):
        cell = WriteOnlyCell(sheet, value=_ILLEGAL.sub("", value))
        cell.data_type = "s"  # never a formula, whatever a grid worker typed ("=HYPERLINK…")
        return cell

    def header(sheet, titles: list[str]) -> None:
        sheet.freeze_panes = "A2"
        for i, title in enumerate(titles):
            letter = get_column_letter(i + 1)
            sheet.column_dimensions[letter].width = min(40, max(10, _width(title) + 2))
        cells = []
        for title in titles:
            cell = text_cell(sheet, title)
            cell.font, cell.fill = bold, fill
            cells.append(cell)
        sheet.append(cells)

    link_font = Font(color="1A4F8B", underline="single")

    def links_cell(sheet, links: Links, report_id):
        """Every URL as text (one a line, to copy), and the cell a link: to the file when there is
        one, else to the report's page (`report_url`), which shows them all (a cell holds one
        hyperlink; without a page, the first file)."""
        text = "\n".join(
            f"{link['name']} {base_url}{link['url']}".strip()
            if link["name"]
            else f"{base_url}{link['url']}"
            for link in links
        )
        cell = text_cell(sheet, text)
        if len(links) == 1 or report_url is None or report_id is None:
            cell.hyperlink = f"{base_url}{links[0]['url']}"
        else:
            cell.hyperlink = f"{base_url}{report_url(report_id)}"
        cell.font = link_font
        return cell

    def to_cell(sheet, value, report_id=None):
        if isinstance(value, Links):
            return links_cell(sheet, value, report_id)
        if isinstance(value, str):
            value = _ILLEGAL.sub("", value)
            if len(value) > CELL_MAX:
                cut = _("…（超出 Excel 单元格长度，已截断）")
                value = value[: CELL_MAX - len(cut)] + cut
            # openpyxl takes a string starting with "=" for a formula: keep it text.
            return text_cell(sheet, value) if value.startswith("=") else value
        if isinstance(value, datetime):
            cell = WriteOnlyCell(sheet, value=value)
            cell.number_format = "yyyy-mm-dd hh:mm:ss"
            return cell
        if isinstance(value, int) and not isinstance(value, bool) and abs(value) > EXACT_MAX:
            return text_cell(sheet, str(value))
        if isinstance(value, float) and not (abs(value) <= 1e300):  # inf/nan from old rows
            return text_cell(sheet, repr(value))
        return value  # numbers, dates (openpyxl gives them yyyy-mm-dd), None

    main = book.create_sheet(_sheet_title(_("上报数据"), set()))
    used = {main.title}
    header(main, meta_headers() + [c.title for c in layout.main.columns] + [other_header()])
    sheets = {}
    for table in layout.groups:
        sheet = book.create_sheet(_sheet_title(table.title, used))
        used.add(sheet.title)
        header(sheet, group_meta_headers() + [c.title for c in table.columns])
        sheets[table.key] = sheet

    count = 0
    for row in data_rows(qs.iterator(chunk_size=BATCH), layout, versions):
        sid = row.submission.pk
        main.append([to_cell(main, v, sid) for v in row.meta + row.cells + [row.other]])
        for key, items in row.groups.items():
            for item in items:
                sheets[key].append([to_cell(sheets[key], v, sid) for v in item])
        count += 1
        if progress and count % BATCH == 0:
            progress(count)
    book.save(out)
    return count


def submissions_export_file(
    *,
    person: Person,
    app: LightApp,
    filters: DataFilters,
    base_url: str,
    report_url: Callable[[object], str] | None = None,
):
    """The workbook in a temporary file (in memory up to 8 MB), rewound for a FileResponse."""
    # Not a context manager: the response streams the file and closes it when sent.
    out = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    try:
        rows = submissions_export_xlsx(
            person=person,
            app=app,
            filters=filters,
            out=out,
            base_url=base_url,
            report_url=report_url,
        )
    except BaseException:
        out.close()
        raise
    audit_record(
        "data.export",
        actor=person,
        target=app,
        details={"filters": filters.as_query(), "rows": rows, "format": "xlsx"},
    )
    out.seek(0)
    return out


def _width(text: str) -> int:
    """Display width: a Chinese character takes two columns."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)


def _sheet_title(title: str, used: set[str]) -> str:
    """Excel's rules: at most 31 characters, none of []:*?/\\, unique in the workbook."""
    clean = re.sub(r"[\[\]:*?/\\]", "", title).strip("'") or _("明细")
    clean = clean[:31]
    candidate, n = clean, 2
    while candidate in used:
        suffix = f"({n})"
        candidate, n = clean[: 31 - len(suffix)] + suffix, n + 1
    return candidate
