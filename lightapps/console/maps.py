"""地图: the orders (and reports without one) the person may see as points coloured by state,
on the grid and street outlines, filtered like the list. Tiles come from MAP_TILE_URL when set
(天地图, a city's own server inside 政务外网); without it the map draws outlines and points on a
blank background and requests nothing from anywhere."""

from django.http import JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.outlines import unit_outlines
from lightapps.orgs.selectors import org_units_visible_to
from lightapps.params import id_parse
from lightapps.submissions.selectors import (
    light_apps_with_data_visible_to,
    submissions_visible_to,
)
from lightapps.web.maps import map_tiles
from lightapps.web.nav import desktop_nav
from lightapps.workorders.selectors import work_order_filters_parse, work_order_list

from .access import console_page
from .views import CONSOLE_STATES, STATE_TONES

# Points are shown to about 100 m, like a masked location answer (submissions.masking).
DECIMALS = 3
# The most points one map answer carries, newest first; the page says when there were more.
MAX_POINTS = 3000


def _map_filters(request) -> tuple[dict, DomainError | None, list, list]:
    """The list's filters (state, due, app, unit) checked the same way, with the app and unit
    options the person has."""
    person = request.user
    try:
        parsed = work_order_filters_parse(request.GET)
        error = None
    except DomainError as exc:
        parsed, error = {"state": "", "due": ""}, exc
    apps = list(light_apps_with_data_visible_to(person).order_by("name").values("key", "name"))
    app = request.GET.get("app", "")
    units = list(
        org_units_visible_to(person)
        .filter(kind__in=[OrgUnit.Kind.STREET, OrgUnit.Kind.GRID])
        .only("pk", "name", "kind", "path")
    )
    unit = id_parse(request.GET.get("unit"))
    fields = {}
    if app and app not in {a["key"] for a in apps}:
        fields["app"] = [_("没有这个应用，或您看不到它")]
    if request.GET.get("unit") and unit not in {u.pk for u in units}:
        fields["unit"] = [_("没有这个区域，或不在您的范围内")]
    if fields and error is None:
        error = DomainError(_("筛选条件有误，请修改后再试"), code="invalid_filter", fields=fields)
    filters = {
        **parsed,
        "app": "" if "app" in fields else app,
        "unit": None if "unit" in fields else unit,
    }
    options = [{"pk": u.pk, "name": u.name, "indent": u.kind == OrgUnit.Kind.GRID} for u in units]
    return filters, error, apps, options


@require_GET
@console_page
def map_page(request):
    filters, error, apps, units = _map_filters(request)
    legend = [
        {"state": key, "label": str(info["label"]), "tone": STATE_TONES.get(key, "info")}
        for key, info in CONSOLE_STATES.items()
    ]
    context = {
        "nav": desktop_nav(request.user),
        "selected": filters,
        "error": error,
        "field_labels": {"state": _("状态"), "due": _("时限"), "app": _("应用"), "unit": _("区域")},
        "states": [(key, str(info["label"])) for key, info in CONSOLE_STATES.items()],
        "dues": [("overdue", _("已超时")), ("due_soon", _("即将超时"))],
        "apps": apps,
        "units": units,
        "filtered": any(filters.get(k) for k in ("state", "due", "app", "unit", "q", "priority")),
        "map_setup": {
            "tiles": map_tiles(),
            "outlines": unit_outlines(request.user),
            "legend": legend,
            "points": "" if error else f"/console/map/points/?{request.GET.urlencode()}",
        },
    }
    return render(request, "console/map.html", context, status=error.status if error else 200)


@require_GET
@console_page
def map_points(request):
    """{"orders": FeatureCollection, "reports": FeatureCollection, "truncated": bool} for the
    list's filters; `reports` holds the reports that opened no order (only without a state or
    due filter, which they do not have). Two queries."""
    filters, error, _apps, _units = _map_filters(request)
    if error:
        return JsonResponse(error.as_dict(), status=error.status)
    now = timezone.now()
    orders = (
        work_order_list(
            person=request.user,
            state=filters["state"],
            app=filters["app"],
            org_unit=filters["unit"],
            due=filters["due"],
            q=filters.get("q", ""),
            priority=filters.get("priority", ""),
        )
        .filter(submission__latitude__isnull=False, submission__longitude__isnull=False)
        .values(
            "pk", "number", "title", "state", "due_at", "closed_at",
            "submission__latitude", "submission__longitude",
        )[: MAX_POINTS + 1]
    )  # fmt: skip
    orders = list(orders)
    features = [
        {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [
                    round(o["submission__longitude"], DECIMALS),
                    round(o["submission__latitude"], DECIMALS),
                ],
            },
            "properties": {
                "id": o["pk"],
                "number": o["number"],
                "title": o["title"],
                "state": o["state"],
                "tone": STATE_TONES.get(o["state"], "info"),
                "label": str(CONSOLE_STATES.get(o["state"], {}).get("label", o["state"])),
                "overdue": bool(o["closed_at"] is None and o["due_at"] and o["due_at"] < now),
                "url": f"/console/work-orders/{o['pk']}/",
            },
        }
        for o in orders[:MAX_POINTS]
    ]
    reports = []
    # (a report has no state, deadline, number, title or priority of its own)
    if not any(filters.get(k) for k in ("state", "due", "q", "priority")):
        # (has_work_order, not a join to the orders: the partial index of located reports
        # without one, newest first — submissions.0006)
        rows = submissions_visible_to(request.user).filter(
            has_work_order=False, latitude__isnull=False, longitude__isnull=False
        )
        if filters["app"]:
            rows = rows.filter(app__key=filters["app"])
        if filters["unit"]:
            unit = OrgUnit.objects.get(pk=filters["unit"])
            rows = rows.filter(org_unit__path__startswith=unit.path)
        rows = list(
            rows.order_by("-received_at").values("pk", "latitude", "longitude", "app__name")[
                :MAX_POINTS
            ]
        )
        reports = [
            {
                "type": "Feature",
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(r["longitude"], DECIMALS),
                        round(r["latitude"], DECIMALS),
                    ],
                },
                "properties": {
                    "title": r["app__name"],
                    "url": f"/console/submissions/{r['pk']}/",
                },
            }
            for r in rows
        ]
    return JsonResponse(
        {
            "orders": {"type": "FeatureCollection", "features": features},
            "reports": {"type": "FeatureCollection", "features": reports},
            "truncated": len(orders) > MAX_POINTS,
        }
    )
