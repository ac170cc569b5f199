"""考核统计 as Excel, for the monthly meeting: the unit's figures with the score's parts, the
ranking of the units below it, and the trend; the same numbers as the page and the API."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from openpyxl import Workbook
from openpyxl.styles import Font

from lightapps.definitions.flows import FLOW_TEMPLATES

from .figures import STEP_STATES

# (figure, header, kind): kind "count", "rate" (0..1, shown as a percentage) or "score"
COLUMNS = (
    ("reports", gettext_lazy("上报数"), "count"),
    ("opened", gettext_lazy("新建工单"), "count"),
    ("closed", gettext_lazy("结案数"), "count"),
    ("due_cases", gettext_lazy("应结案数"), "count"),
    ("cases_done", gettext_lazy("已结案"), "count"),
    ("deferred", gettext_lazy("缓办数"), "count"),
    ("should_handle", gettext_lazy("应处置数"), "count"),
    ("handled", gettext_lazy("处置数"), "count"),
    ("handled_on_time", gettext_lazy("按期处置数"), "count"),
    ("reworked", gettext_lazy("返工数"), "count"),
    ("on_time_rate", gettext_lazy("按期处置率"), "rate"),
    ("closure_rate", gettext_lazy("结案率"), "rate"),
    ("rework_rate", gettext_lazy("返工率"), "rate"),
    ("overdue_now", gettext_lazy("当前超时"), "count"),
    ("score", gettext_lazy("综合得分"), "score"),
)
TREND_COLUMNS = tuple(c for c in COLUMNS if c[0] != "overdue_now")  # a figure of now only
SCORE_PARTS = (
    ("on_time", gettext_lazy("按期处置率×60")),
    ("closure", gettext_lazy("结案率×30")),
    ("no_rework", gettext_lazy("(1−返工率)×10")),
)
BOLD = Font(bold=True)


def _value(figures: dict, name: str, kind: str):
    value = figures.get(name)
    if value is None:
        return "—"  # a rate with nothing to divide by
    return round(value, 4) if kind == "rate" else value


def _header(sheet, cells: list[str]) -> None:
    sheet.append(cells)
    for cell in sheet[sheet.max_row]:
        cell.font = BOLD


def _figure_row(sheet, first: list, figures: dict, columns=COLUMNS) -> None:
    sheet.append([*first, *(_value(figures, n, k) for n, _h, k in columns)])
    row = sheet[sheet.max_row]
    for offset, (_n, _h, kind) in enumerate(columns, start=len(first)):
        if kind == "rate" and isinstance(row[offset].value, float):
            row[offset].number_format = "0.0%"


def _state_name(state: str) -> str:
    for template in FLOW_TEMPLATES.values():
        if state in template["states"]:
            return str(template["states"][state]["label"])
    return state


def figures_xlsx(report_json: dict, out) -> None:
    """Write the report (figures_report_json) as an .xlsx workbook to `out`."""
    book = Workbook()
    summary = book.active
    summary.title = _("汇总")
    period = f"{report_json['since']} — {report_json['until']}"
    summary.append([_("单位"), report_json["unit"]["name"]])
    summary.append([_("统计期间"), period])
    if report_json["app"]:
        summary.append([_("应用"), report_json["app"]])
    summary.append([])
    _header(summary, [_("单位"), *(str(h) for _n, h, _k in COLUMNS)])
    _figure_row(summary, [report_json["unit"]["name"]], report_json["figures"])
    summary.append([])
    _header(summary, [_("综合得分构成"), _("得分")])
    parts = report_json["figures"].get("score_parts") or {}
    for key, label in SCORE_PARTS:
        summary.append([str(label), parts.get(key, "—")])
    summary.append([])
    _header(summary, [_("环节"), _("平均用时（小时）")])
    for state in STEP_STATES:
        seconds = report_json["figures"].get("avg_step_seconds", {}).get(state)
        if seconds is not None:
            summary.append([_state_name(state), round(seconds / 3600, 1)])
    summary.column_dimensions["A"].width = 18

    ranking = book.create_sheet(_("排名"))
    for table in report_json["ranking"]:
        _header(ranking, [_("名次"), table["label"], *(str(h) for _n, h, _k in COLUMNS)])
        for place, row in enumerate(table["rows"], start=1):
            _figure_row(ranking, [place, row["unit"]["name"]], row["figures"])
        ranking.append([])
    ranking.column_dimensions["B"].width = 18

    trend = book.create_sheet(_("趋势"))
    by = _("周（起始日）") if report_json["by"] == "week" else _("月")
    _header(trend, [by, *(str(h) for _n, h, _k in TREND_COLUMNS)])
    for bucket in report_json["trend"]:
        start = bucket["start"] if report_json["by"] == "week" else bucket["start"][:7]
        _figure_row(trend, [start], bucket["figures"], TREND_COLUMNS)
    book.save(out)
