"""应用列表: every app the designer may see, found by name, status and unit, with who changed it
last and how many reports it has; new, duplicate, disable and enable go through the API."""

from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lightapps.definitions.app_templates import app_templates
from lightapps.definitions.selectors import APP_STATUSES, app_status, light_apps_visible_to
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Role
from lightapps.orgs.selectors import memberships_of
from lightapps.params import id_parse
from lightapps.submissions.selectors import light_apps_listed
from lightapps.web.nav import desktop_nav

from .views import builder_page

STATUS_LABELS = {"draft": "草稿", "published": "已发布", "disabled": "已停用"}


def _filters(params) -> tuple[dict, DomainError | None]:
    q = params.get("q", "").strip()[:50]
    status = params.get("status", "")
    unit_text = params.get("owner_unit", "")
    unit = id_parse(unit_text) if unit_text else None
    fields = {}
    if status and status not in APP_STATUSES:
        fields["status"] = [_("没有这个状态")]
    if unit_text and unit is None:
        fields["owner_unit"] = [_("没有这个单位")]
    error = DomainError(_("筛选条件不对"), code="invalid_filter", fields=fields) if fields else None
    if error:
        status, unit = "", None
    return {"q": q, "status": status, "owner_unit": unit}, error


@require_GET
@builder_page
def apps(request):
    """应用列表 in one query, filtered by `q`, `status` and `owner_unit`."""
    filters, error = _filters(request.GET)
    rows = [] if error else list(light_apps_listed(request.user, **filters))
    design_paths = [
        m.org_unit.path
        for m in memberships_of(request.user)
        if m.role in {Role.DESIGNER, Role.ADMIN}
    ]
    for row in rows:
        row.status = app_status(row, row.latest_number)
        row.status_label = _(STATUS_LABELS[row.status])
        row.pending = bool(row.latest_published_at and row.updated_at > row.latest_published_at)
        row.manageable = any(row.owner_unit.path.startswith(p) for p in design_paths)
    owner_ids = light_apps_visible_to(request.user).values("owner_unit_id")
    units = OrgUnit.objects.filter(pk__in=owner_ids).order_by("path")
    return render(
        request,
        "builder/apps.html",
        {
            "nav": desktop_nav(request.user),
            "apps": rows,
            "filters": filters,
            "error": error,
            "field_labels": {"status": _("状态"), "owner_unit": _("归属单位")},
            "statuses": [(s, _(STATUS_LABELS[s])) for s in APP_STATUSES],
            "units": list(units),
            "templates": app_templates(),
            "filtered": bool(filters["q"] or filters["status"] or filters["owner_unit"]),
        },
        status=400 if error else 200,
    )
