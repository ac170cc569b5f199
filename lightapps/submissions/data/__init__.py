"""上报数据: one app's submissions as tables, for the console's data page and the Excel export.

The columns are the union of every published version's fields, the newest version's order first.
A field that a later version removed keeps its column (titled "…（第N版起已删除）"), so a year
of data reads as one table however the form changed; each answer is read with the field as its
own version described it (a choice keeps the label it had when it was chosen).

The tables:
- the main table: who, where, when, the work order, then one column per answer — a nested
  object is spread over columns ("业主·姓名"), a location over three (纬度, 经度, 精度), a
  repeated group is counted ("隐患（条）");
- one table per repeated group (e.g. 隐患): one row per item, keyed by the submission's id and
  the item's number, so Excel can join them;
- answers no version describes land, as JSON, in a last column "其他数据" rather than being lost.

Lookups (unit names, people, file names, unit labels) are batched per `BATCH` submissions, so
the number of queries depends on the number of batches, not of rows.

Split into filters (who, which rows), columns (across versions), cells (values), tables (rows)
excel (the workbook) and csvfile (one table as streamed CSV); every public name stays importable from here.
"""

from .cells import Links, cell_value
from .columns import Column, Layout, Table, data_layout
from .csvfile import csv_filename, submissions_export_csv
from .excel import XLSX_TYPE, export_filename, submissions_export_file, submissions_export_xlsx
from .filters import (
    DataFilters,
    data_filters_parse,
    may_read_data,
    submissions_for_data,
    submissions_for_data_count,
    submissions_for_data_count_query,
)
from .tables import data_rows, group_meta_headers, meta_headers, versions_by_number

__all__ = [
    "XLSX_TYPE",
    "csv_filename",
    "submissions_export_csv",
    "Column",
    "DataFilters",
    "Layout",
    "Links",
    "Table",
    "cell_value",
    "data_filters_parse",
    "data_layout",
    "data_rows",
    "export_filename",
    "group_meta_headers",
    "may_read_data",
    "meta_headers",
    "submissions_export_file",
    "submissions_export_xlsx",
    "submissions_for_data",
    "submissions_for_data_count",
    "submissions_for_data_count_query",
    "versions_by_number",
]
