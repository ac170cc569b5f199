"""审计日志: the audit log for administrators, filtered, paged, exported. Read-only."""

from functools import wraps
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lightapps.audit.export import audit_export_file
from lightapps.audit.models import Outcome
from lightapps.audit.selectors import AuditFilters, audit_entries, audit_filters_parse
from lightapps.audit.services import ACTION_LABELS
from lightapps.errors import DomainError
from lightapps.orgs.selectors import may_read_audit_log
from lightapps.submissions.data import XLSX_TYPE
from lightapps.web.nav import desktop_nav

PAGE_SIZE = 50


def audit_page(view):
    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not may_read_audit_log(request.user):
            return render(
                request, "console/no_access.html", {"nav": desktop_nav(request.user)}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


def _context(request, filters: AuditFilters, error: DomainError | None) -> dict:
    return {
        "nav": desktop_nav(request.user),
        "actions": list(ACTION_LABELS.items()),
        "outcomes": Outcome.choices,
        "labels": ACTION_LABELS,
        "raw": {k: request.GET.get(k, "") for k in AuditFilters.__dataclass_fields__},
        "error": error,
        "field_labels": {
            "action": _("操作"),
            "outcome": _("结果"),
            "actor": _("操作人"),
            "ip": _("地址"),
            "object": _("对象"),
            "since": _("开始日期"),
            "until": _("结束日期"),
        },
        "filtered": bool(filters.as_query()) or error is not None,
        "export_query": urlencode(filters.as_query()),
    }


@require_GET
@audit_page
def audit_log(request):
    try:
        filters = audit_filters_parse(request.GET)
        error = None
    except DomainError as exc:
        filters, error = AuditFilters(), exc
    context = _context(request, filters, error)
    if error is None:
        paginator = Paginator(audit_entries(filters), PAGE_SIZE)
        context["page"] = paginator.get_page(request.GET.get("page"))
    return render(request, "console/audit.html", context, status=error.status if error else 200)


@require_GET
@audit_page
def audit_export(request):
    try:
        filters = audit_filters_parse(request.GET)
        out = audit_export_file(person=request.user, filters=filters)
    except DomainError as exc:
        context = _context(request, AuditFilters(), exc)
        return render(request, "console/audit.html", context, status=exc.status)
    return FileResponse(
        out,
        as_attachment=True,
        filename=f"审计日志-{timezone.localdate():%Y%m%d}.xlsx",
        content_type=XLSX_TYPE,
    )
