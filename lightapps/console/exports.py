"""导出工单: the console list under its filters as CSV (streamed, UTF-8 with a BOM) or Excel."""

from django.conf import settings
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lightapps.audit.services import audit_record
from lightapps.csvstream import CSV_TYPE
from lightapps.errors import DomainError
from lightapps.web.nav import desktop_nav
from lightapps.workorders.export import XLSX_TYPE, export_csv, export_rows, export_xlsx

from .access import console_page
from .export_jobs import background_export
from .models import ExportJob
from .views import filtered_orders, list_filters

EXPORT_FORMATS = ("csv", "xlsx")


def _export_refused(request, error: DomainError):
    back = request.GET.copy()
    back.pop("format", None)
    context = {"nav": desktop_nav(request.user), "error": error, "back": back.urlencode()}
    return render(request, "console/export_error.html", context, status=error.status)


@require_GET
@console_page
def work_orders_export(request):
    """导出: the list under its filters, every row, as CSV (streamed) or Excel (?format=)."""
    person = request.user
    filters, error, _apps, _units = list_filters(request)
    fmt = request.GET.get("format", "csv")
    if error is None and fmt not in EXPORT_FORMATS:
        error = DomainError(
            _("筛选条件有误，请修改后再试"),
            code="invalid_filter",
            fields={"format": [_("只能是 csv 或 xlsx")]},
        )
    if error:
        return _export_refused(request, error)
    orders = filtered_orders(person, filters)
    if orders.count() > settings.EXPORT_INLINE_MAX_ROWS:  # too many for one request
        query = request.GET.copy()
        query.pop("page", None)
        try:
            return background_export(
                request,
                kind=ExportJob.Kind.WORK_ORDERS,
                fmt=fmt,
                query=query.urlencode(),
                title=_("工单导出（%s）") % ("Excel" if fmt == "xlsx" else "CSV"),
            )
        except DomainError as exc:
            return _export_refused(request, exc)
    base_url = request.build_absolute_uri("/").rstrip("/")
    rows = export_rows(orders, base_url=base_url)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    details = {"format": fmt, "query": request.GET.urlencode()[:500]}
    if fmt == "csv":
        audit_record("work_orders.export", actor=person, details=details)
        response = StreamingHttpResponse(export_csv(rows), content_type=CSV_TYPE)
        response["Content-Disposition"] = content_disposition_header(True, f"工单-{stamp}.csv")
        return response
    try:
        out = export_xlsx(orders, rows)
    except DomainError as exc:  # too many rows: nothing was exported
        return _export_refused(request, exc)
    audit_record("work_orders.export", actor=person, details=details)
    return FileResponse(
        out, as_attachment=True, filename=f"工单-{stamp}.xlsx", content_type=XLSX_TYPE
    )
