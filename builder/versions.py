"""发布与版本: publish the draft with eyes open — what stops it (each problem linked to its field),
what changes in words, which collected reports and open orders the change touches — with a note;
the history of versions with who, when and why; roll back; the definition as a table and JSON."""

import json

from django.http import Http404
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from lightapps.definitions.dialect import fields_of
from lightapps.definitions.diff import diff_in_words
from lightapps.definitions.flows import FLOW_TEMPLATES, NO_FLOW, flow_is_urgent, flow_limits_text
from lightapps.definitions.selectors import draft_problems, light_apps_visible_to, version_diff
from lightapps.orgs.selectors import person_has_role_over
from lightapps.web.nav import desktop_nav
from lightapps.workorders.impact import draft_impact

from .views import KIND_LABELS, builder_page, field_rows

DESIGN_ROLES = ("designer", "admin")


def _pretty(value) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2)


def _chosen(app, versions, wanted: str):
    """(is_draft, version or None, (schema, ui, flow)) for `?v=` (draft, a number); without one,
    the draft when it holds edits not yet published (what the designer came to publish), else the
    latest version."""
    draft = (app.draft_schema, app.draft_ui, app.draft_flow)
    if wanted == "draft" or (
        not wanted
        and (not versions or draft != (versions[0].schema, versions[0].ui, versions[0].flow))
    ):
        return True, None, draft
    if wanted:
        chosen = next((v for v in versions if str(v.number) == wanted), None)
        if chosen is None:
            raise Http404
    else:
        chosen = versions[0]
    return False, chosen, (chosen.schema, chosen.ui, chosen.flow)


@require_GET
@builder_page
def versions(request, key: str):
    light_app = (
        light_apps_visible_to(request.user).select_related("draft_saved_by").filter(key=key).first()
    )
    if light_app is None:
        raise Http404
    versions = list(light_app.versions.select_related("published_by").order_by("-number"))
    is_draft, chosen, (schema, ui, flow) = _chosen(light_app, versions, request.GET.get("v", ""))
    schema = schema if isinstance(schema, dict) else {}
    ui = ui if isinstance(ui, dict) else {}
    flow = flow if isinstance(flow, dict) else {}
    # 版本差异: the draft against the latest version (what publishing would change), a version
    # against the one before it.
    diff, diff_against, impact = None, None, None
    if is_draft and versions:
        diff_against = versions[0].number
        diff = version_diff(light_app, old=str(diff_against), new="draft")
        impact = draft_impact(light_app)
    elif chosen is not None and chosen.number > 1:
        diff_against = chosen.number - 1
        diff = version_diff(light_app, old=str(diff_against), new=str(chosen.number))
    impact_by_path = {f["path"]: f for f in (impact or {}).get("fields", [])}
    if diff:
        for entry in diff["added"] + diff["removed"] + diff["changed"]:
            entry["impact"] = impact_by_path.get(entry["path"])
            entry["kind"] = str(KIND_LABELS.get(entry["kind"], entry["kind"]))
    template = FLOW_TEMPLATES.get(flow.get("template", NO_FLOW))
    problems = draft_problems(light_app) if is_draft else []
    context = {
        "nav": desktop_nav(request.user),
        "app": light_app,
        "tab": "versions",
        "versions": versions,
        "chosen": chosen,
        "is_draft": is_draft,
        "can_edit": person_has_role_over(
            request.user, roles=DESIGN_ROLES, unit=light_app.owner_unit
        ),
        "fields": field_rows(fields_of(schema, ui)),
        "flow_name": str(template["name"]) if template else _("无流程（仅记录）"),
        "flow_limits": "，".join(flow_limits_text(flow)),
        "flow_urgent": flow_is_urgent(flow),
        "problems": problems,
        "diff": diff,
        "words": diff_in_words(diff) if diff else [],
        "impact": impact,
        "unchanged": bool(is_draft and diff and diff["same"]),
        "diff_against": diff_against,
        "import_notes": request.session.pop(f"import-notes-{light_app.key}", None),
        "schema_json": _pretty(schema),
        "ui_json": _pretty(ui),
        "flow_json": _pretty(flow),
    }
    return render(request, "builder/versions.html", context)
