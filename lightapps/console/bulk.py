"""批量办理 on the list: tick orders, 立案 or 派遣 them in one go, back to the same list."""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lightapps.definitions.flows import CLOSED_LOOP
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import district_departments, roles_of
from lightapps.params import id_parse
from lightapps.workorders.bulk import BULK_ACTIONS, bulk_items_parse, work_orders_bulk_transition

from .access import console_page
from .saved_filters import list_url

FAILED_SHOWN = 10


def _bulk_actions(person, state: str) -> list[tuple[str, str]]:
    """The bulk steps this person's roles take in the closed loop, from the listed state."""
    mine = roles_of(person)
    return [
        (t["action"], str(BULK_ACTIONS[t["action"]]))
        for t in CLOSED_LOOP["transitions"]
        if t["action"] in BULK_ACTIONS
        and mine & set(t["roles"])
        and (not state or t["from"] == state)
    ]


def bulk_context(person, places: list[OrgUnit], *, state: str = "") -> dict | None:
    """What the list's 批量办理 bar offers this person (None: no bulk step is theirs to take
    on the listed state): the actions their roles take, and for 派遣 the streets and grids they
    see (`places`, as the list's filter loaded them) and their district's departments (the
    service checks each order's own targets)."""
    actions = _bulk_actions(person, state)
    if not actions:
        return None
    departments = district_departments(person) if any(a == "dispatch" for a, _l in actions) else []
    return {
        "actions": actions,
        "places": [
            {"pk": u.pk, "name": u.name, "indent": u.kind == OrgUnit.Kind.GRID} for u in places
        ],
        "departments": [{"pk": u.pk, "name": u.name} for u in departments],
    }


def _summary(action: str, outcome) -> tuple[str, str]:
    label = str(BULK_ACTIONS[action])
    done = _("已批量%(action)s %(n)d 件") % {"action": label, "n": len(outcome.done)}
    if not outcome.failed:
        return done, ""
    shown = [
        f"{f['number'] or _('编号 %d') % f['id']}：{f['message']}"
        for f in outcome.failed[:FAILED_SHOWN]
    ]
    more = len(outcome.failed) - FAILED_SHOWN
    if more > 0:
        shown.append(_("另有 %d 件未办理") % more)
    failed = _("%(n)d 件未能%(action)s，保持原样：") % {"n": len(outcome.failed), "action": label}
    return done, failed + "；".join(shown)


@require_POST
@console_page
def bulk_act(request):
    """批量立案 / 批量派遣: each ticked order through the transition service, each on its own."""
    post = request.POST
    back = list_url(post.get("query", ""))
    action = post.get("action", "")
    raw_unit = (post.get("target_unit") or "").strip()
    target_unit = id_parse(raw_unit)
    try:
        if raw_unit and target_unit is None:
            raise DomainError(_("请选择有效的承办单位"), code="invalid")
        items = bulk_items_parse(post.getlist("orders"))
        outcome = work_orders_bulk_transition(
            person=request.user,
            items=items,
            action=action,
            note=post.get("note", ""),
            target_unit=target_unit,
        )
    except DomainError as exc:
        messages.error(request, exc.as_sentence())
        return redirect(back)
    done, failed = _summary(action, outcome)
    if outcome.done:
        messages.success(request, done)
    if failed:
        messages.warning(request, failed)
    return redirect(back)
