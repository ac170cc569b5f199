"""上报数据: an app's submissions as one table across its versions, a submission's detail, Excel.

Thin like the other console pages: the tables, filters and scope come from
`lightapps.submissions.data`; who sees which submission from `submissions_visible_to`.
"""

from django.conf import settings
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import content_disposition_header, urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lightapps.csvstream import CSV_TYPE
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import org_units_visible_to, unit_label
from lightapps.paging import CountedPaginator
from lightapps.submissions.data import (
    XLSX_TYPE,
    DataFilters,
    csv_filename,
    data_filters_parse,
    data_layout,
    data_rows,
    export_filename,
    submissions_export_csv,
    submissions_export_file,
    submissions_for_data,
    submissions_for_data_count,
    versions_by_number,
)
from lightapps.submissions.display import answers_for_display
from lightapps.submissions.selectors import (
    light_apps_with_data_visible_to,
    report_place,
    submissions_visible_to,
)
from lightapps.web.nav import desktop_nav
from lightapps.web.reveal import reveal_from_request

from .access import console_page
from .export_jobs import background_export
from .models import ExportJob

PAGE_SIZE = 50


def _apps_and_app(request):
    """The apps whose data the person may read (by name) and the one asked for (else the first)."""
    # The drafts are the builder's: a JSON decode each that no data page reads.
    apps = list(
        light_apps_with_data_visible_to(request.user)
        .defer("draft_schema", "draft_ui", "draft_flow")
        .order_by("name")
    )
    key = request.GET.get("app", "")
    if not key:
        return apps, (apps[0] if apps else None)
    for app in apps:
        if app.key == key:
            return apps, app
    raise Http404  # unknown and out of sight read the same


def _context(request, apps, app, versions: dict) -> dict:
    units = org_units_visible_to(request.user).filter(
        kind__in=[OrgUnit.Kind.STREET, OrgUnit.Kind.GRID]
    )
    return {
        "nav": desktop_nav(request.user),
        "apps": apps,
        "app": app,
        "units": [
            {"pk": u.pk, "name": u.name, "indent": u.kind == OrgUnit.Kind.GRID}
            for u in units.only("pk", "name", "kind", "path", "depth")
        ],
        "versions": sorted(versions, reverse=True),
        "raw": {k: request.GET.get(k, "") for k in ("since", "until", "unit", "version")},
        "error": None,
        "field_labels": {
            "since": _("开始日期"),
            "until": _("结束日期"),
            "unit": _("街镇/网格"),
            "version": _("版本"),
        },
    }


@require_GET
@console_page
def data(request):
    """上报数据: one app's submissions, 50 a page, columns of every version, filters, export."""
    person = request.user
    apps, app = _apps_and_app(request)
    versions = versions_by_number(app) if app else {}
    context = _context(request, apps, app, versions)
    if app is None:
        return render(request, "console/data.html", context)
    try:
        filters = data_filters_parse(person=person, app=app, params=request.GET)
    except DomainError as exc:
        context["error"] = exc
        return render(request, "console/data.html", context, status=exc.status)
    layout = data_layout(versions.values())
    qs = submissions_for_data(person=person, app=app, filters=filters)
    count = submissions_for_data_count(person=person, app=app, filters=filters)
    page = CountedPaginator(qs, PAGE_SIZE, count=count).get_page(request.GET.get("page"))
    context.update(
        {
            "layout": layout,
            "group_titles": "、".join(t.title for t in layout.groups),
            "page": page,
            "rows": list(data_rows(page.object_list, layout, versions)),
            "export_query": urlencode({"app": app.key, **filters.as_query()}),
            "filtered": filters != DataFilters(),
        }
    )
    return render(request, "console/data.html", context)


def group_title(app, table: str) -> str:
    """The title of a repeated group's table (its CSV's name); DomainError for no such group."""
    if not table:
        return ""
    groups = data_layout(versions_by_number(app).values()).groups
    found = next((t.title for t in groups if t.key == table), None)
    if found is None:
        raise DomainError(
            _("筛选条件有误，请修改后再试"),
            code="invalid_filter",
            fields={"table": [_("没有这个重复组：%s") % table[:60]]},
        )
    return found


def report_page_url(pk) -> str:
    """上报详情 of one report: where an Excel cell of several photos links to (it shows them all)."""
    return reverse("console:submission", args=[pk])


@require_GET
@console_page
def data_export(request):
    """导出 Excel: what the data page shows under the same filters, every row, one workbook."""
    person = request.user
    apps, app = _apps_and_app(request)
    if app is None:
        raise Http404
    fmt = request.GET.get("format", "xlsx")
    try:
        filters = data_filters_parse(person=person, app=app, params=request.GET)
        if fmt not in ("csv", "xlsx"):
            raise DomainError(
                _("筛选条件有误，请修改后再试"),
                code="invalid_filter",
                fields={"format": [_("只能是 csv 或 xlsx")]},
            )
        table = request.GET.get("table", "") if fmt == "csv" else ""
        table_title = group_title(app, table)  # a bad table= is refused here, not in a task
        rows = submissions_for_data_count(person=person, app=app, filters=filters)
        if rows > settings.EXPORT_INLINE_MAX_ROWS:  # too many for one request
            query = request.GET.copy()
            query.pop("page", None)
            return background_export(
                request,
                kind=ExportJob.Kind.DATA,
                fmt=fmt,
                query=query.urlencode(),
                title=_("%(app)s 上报数据（%(fmt)s）")
                % {"app": app.name, "fmt": "Excel" if fmt == "xlsx" else "CSV"},
                app_key=app.key,
            )
        if fmt == "csv":
            stream = submissions_export_csv(
                person=person,
                app=app,
                filters=filters,
                base_url=request.build_absolute_uri("/").rstrip("/"),
                table=table,
            )
            response = StreamingHttpResponse(stream, content_type=CSV_TYPE)
            name = csv_filename(app.name, table_title)
            response["Content-Disposition"] = content_disposition_header(True, name)
            return response
        out = submissions_export_file(
            person=person,
            app=app,
            filters=filters,
            base_url=request.build_absolute_uri("/").rstrip("/"),
            report_url=report_page_url,
        )
    except DomainError as exc:
        context = {
            **_context(request, apps, app, versions_by_number(app)),
            "error": exc,
            "export_failed": True,
        }
        return render(request, "console/data.html", context, status=exc.status)
    return FileResponse(
        out,
        as_attachment=True,
        filename=export_filename(app.name),
        content_type=XLSX_TYPE,
    )


@require_GET
@console_page
def submission(request, pk):
    """上报详情: a submission rendered with its own version (for apps that open no work order)."""
    found = (
        submissions_visible_to(request.user)
        .select_related(
            "app",
            "version",
            "reporter",
            "org_unit",
            "work_order__org_unit",
            "work_order__assignee_unit",
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404
    version = found.version
    reveal, reveal_error = reveal_from_request(request, found)
    context = {
        "nav": desktop_nav(request.user),
        "submission": found,
        "version": version,
        "order": getattr(found, "work_order", None),
        "location_label": unit_label(report_place(found)),
        "answers": answers_for_display(
            version.schema, version.ui, found.data, reveal=reveal.fields
        ),
        "may_reveal": reveal.allowed,
        "reveal_error": reveal_error,
    }
    status = reveal_error.status if reveal_error else 200
    return render(request, "console/submission.html", context, status=status)
