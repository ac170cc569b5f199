"""考核统计: a unit's assessment figures over a period, the ranking of the units below it and the
trend on a chart (ECharts), every number a link to the orders behind it; and the same as Excel
for the monthly meeting. The numbers come from workorders.figures_report, as the API's do."""

import io
from urllib.parse import urlencode

from django.http import FileResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lightapps.errors import DomainError
from lightapps.submissions.selectors import light_apps_with_data_visible_to
from lightapps.web.nav import desktop_nav
from lightapps.workorders.figures import STEP_STATES
from lightapps.workorders.figures_excel import COLUMNS, SCORE_PARTS, figures_xlsx
from lightapps.workorders.figures_report import (
    figure_units_visible_to,
    figures_query_parse,
    figures_report,
    figures_report_json,
)

from .access import console_page
from .views import CONSOLE_STATES

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# The headline figures, in the order of the cards; the ranking's columns.
CARDS = (
    "on_time_rate",
    "closure_rate",
    "rework_rate",
    "overdue_now",
    "reports",
    "opened",
    "closed",
)
RANKED = ("score", "on_time_rate", "closure_rate", "rework_rate", "opened", "closed", "overdue_now")
LABELS = {name: label for name, label, _kind in COLUMNS}
KINDS = {name: kind for name, _label, kind in COLUMNS}


def _shown(value, kind: str) -> str:
    if value is None:
        return "—"
    if kind == "rate":
        return f"{value * 100:.1f}%"
    return f"{value:g}" if isinstance(value, float) else str(value)


def _cells(figures: dict, links: dict, names) -> list[dict]:
    return [
        {
            "name": n,
            "label": str(LABELS[n]),
            "text": _shown(figures.get(n), KINDS[n]),
            "href": links.get(n, ""),
        }
        for n in names
    ]


def _hours(seconds: int) -> str:
    return f"{seconds / 3600:.1f}"


def _context(request, report: dict | None, error: DomainError | None) -> dict:
    person = request.user
    units = figure_units_visible_to(person).only("pk", "name", "depth", "path").order_by("path")
    apps = list(light_apps_with_data_visible_to(person).order_by("name").values("key", "name"))
    context = {
        "nav": desktop_nav(person),
        "error": error,
        "field_labels": {
            "unit": _("单位"),
            "since": _("开始日期"),
            "until": _("结束日期"),
            "app": _("应用"),
            "by": _("趋势"),
        },  # fmt: skip
        "units": [{"pk": u.pk, "name": u.name, "indent": "　" * u.depth} for u in units],
        "apps": apps,
        "selected": {k: request.GET.get(k, "") for k in ("unit", "since", "until", "app", "by")},
    }
    if report is None:
        return context
    query, figures = report["query"], report["figures"]
    context["selected"] = {**query.as_query(), "unit": query.unit.pk}
    context["report"] = {
        "unit": query.unit,
        "score": _shown(figures["score"], "score"),
        "parts": [
            {"label": str(label), "text": _shown((figures["score_parts"] or {}).get(key), "score")}
            for key, label in SCORE_PARTS
        ],
        "cards": _cells(figures, report["links"], CARDS),
        "steps": [
            {
                "label": str(CONSOLE_STATES[s]["label"]),
                "hours": _hours(figures["avg_step_seconds"][s]),
            }
            for s in STEP_STATES
            if s in figures["avg_step_seconds"] and s in CONSOLE_STATES
        ],
        "ranking": [
            {
                "label": table["label"],
                "headers": [str(LABELS[n]) for n in RANKED],
                "rows": [
                    {
                        "place": place,
                        "unit": row["unit"],
                        "drill": "?" + urlencode({**query.as_query(), "unit": row["unit"].pk}),
                        "cells": _cells(row["figures"], row["links"], RANKED),
                    }
                    for place, row in enumerate(table["rows"], start=1)
                ],
            }
            for table in report["ranking"]
        ],
        "export": "?" + urlencode(query.as_query()),
    }
    context["chart"] = {
        "by": query.by,
        "trend": figures_report_json(report)["trend"],
        "labels": {n: str(LABELS[n]) for n in ("opened", "closed", "on_time_rate", "closure_rate")},
    }
    return context


@require_GET
@console_page
def figures_page(request):
    try:
        report = figures_report(query=figures_query_parse(person=request.user, params=request.GET))
        error = None
    except DomainError as exc:
        report, error = None, exc
    status = error.status if error else 200
    return render(request, "console/figures.html", _context(request, report, error), status=status)


@require_GET
@console_page
def figures_export(request):
    """The page's figures as .xlsx (汇总, 排名, 趋势)."""
    try:
        query = figures_query_parse(person=request.user, params=request.GET)
    except DomainError as exc:
        return render(
            request, "console/figures.html", _context(request, None, exc), status=exc.status
        )
    report = figures_report_json(figures_report(query=query))
    out = io.BytesIO()
    figures_xlsx(report, out)
    out.seek(0)
    name = f"{query.unit.name}-考核统计-{query.since:%Y%m%d}-{query.until:%Y%m%d}.xlsx"
    response = FileResponse(out, as_attachment=True, filename=name, content_type=XLSX_TYPE)
    response["Cache-Control"] = "no-store"
    return response
