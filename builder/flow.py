"""流程设置: the draft's flow chosen from lists — which flow, when a report opens a work order,
where it is routed, the time limit of each step, urgency and duplicate detection. The page edits
the draft through the same API as the designer (`PUT /api/apps/{key}/draft/` with its revision).
"""

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lightapps.definitions.dialect import fields_of
from lightapps.definitions.flows import FLOW_TEMPLATES, LIMIT_UNIT_LABELS, NO_FLOW
from lightapps.definitions.selectors import light_apps_visible_to
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import memberships_of
from lightapps.web.nav import desktop_nav

from .views import builder_page

# Kinds whose answers a rule can test or route by: a fixed set of values.
CHOICE_KINDS = {"radio", "select", "checkboxes", "boolean"}
ROUTE_KINDS = (OrgUnit.Kind.DISTRICT, OrgUnit.Kind.STREET, OrgUnit.Kind.DEPARTMENT)


def _choice_fields(fields: list[dict], prefix: str = "") -> list[dict]:
    """Fields with a fixed set of answers, group members as `group[].name`."""
    out = []
    for f in fields:
        path = f"{prefix}{f['name']}"
        if f["kind"] == "group":
            inner = f"{path}." if f.get("nested") else f"{path}[]."
            out += _choice_fields(f["fields"], inner)
        elif f["kind"] in CHOICE_KINDS:
            choices = f.get("choices") or (
                [{"value": True, "label": _("是")}, {"value": False, "label": _("否")}]
                if f["kind"] == "boolean"
                else []
            )
            out.append(
                {
                    "path": path,
                    "title": f["title"],
                    "kind": f["kind"],
                    "top": not prefix,
                    "choices": [{"value": c["value"], "label": c["label"]} for c in choices],
                }
            )
    return out


def _templates() -> list[dict]:
    out = [{"key": NO_FLOW, "name": _("无流程（仅记录，不生成工单）"), "states": []}]
    for key, template in FLOW_TEMPLATES.items():
        states = [
            {"state": state, "label": str(info["label"]), "default": info["limit"]}
            for state, info in template["states"].items()
            if isinstance(info.get("limit"), dict)
        ]
        out.append({"key": key, "name": str(template["name"]), "states": states})
    return out


def _route_units(person) -> list[dict]:
    """Units a rule may send orders to: the district, streets and departments under the
    designer's top unit, in tree order."""
    paths = sorted({m.org_unit.path for m in memberships_of(person)}, key=len)
    tops = [p for p in paths if not any(p != q and p.startswith(q) for q in paths)]
    units = OrgUnit.objects.filter(kind__in=ROUTE_KINDS).order_by("path")
    chosen = [u for u in units if any(u.path.startswith(t) for t in tops)]
    base = min((u.depth for u in chosen), default=0)
    return [
        {"code": u.code, "name": u.name, "kind": u.kind, "indent": u.depth - base} for u in chosen
    ]


@require_GET
@builder_page
def flow(request, key: str):
    light_app = light_apps_visible_to(request.user).filter(key=key).first()
    if light_app is None:
        raise Http404
    schema = light_app.draft_schema if isinstance(light_app.draft_schema, dict) else {}
    ui = light_app.draft_ui if isinstance(light_app.draft_ui, dict) else {}
    return render(
        request,
        "builder/flow.html",
        {
            "nav": desktop_nav(request.user),
            "app": light_app,
            "tab": "flow",
            "flow_setup": {
                "key": light_app.key,
                "templates": _templates(),
                "fields": _choice_fields(fields_of(schema, ui)),
                "units": _route_units(request.user),
                "limit_units": [
                    {"value": v, "label": str(label).lstrip("个")}
                    for v, label in LIMIT_UNIT_LABELS.items()
                ],
            },
        },
    )
