"""督办台: the supervisors' desktop pages. Thin: parse, authorise, call one service, render.

Who sees which order is decided by `work_orders_visible_to` (through `work_order_list` and
`work_order_detail`); who may do what by `allowed_transitions` / `work_order_transition`.
"""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lightapps.definitions.display import answers_for_display
from lightapps.definitions.selectors import light_apps_visible_to
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Role
from lightapps.orgs.selectors import org_units_visible_to, roles_of, unit_labels
from lightapps.orgs.views import desktop_nav
from lightapps.workorders.flows import CLOSED_LOOP, action_label, flow_template, state_label
from lightapps.workorders.selectors import (
    events_of,
    work_order_detail,
    work_order_list,
    work_order_time_left,
    work_orders_with_flow,
)
from lightapps.workorders.services import allowed_transitions, work_order_transition

CONSOLE_ROLES = {Role.SUPERVISOR, Role.DISPATCHER, Role.HANDLER, Role.ADMIN}
PAGE_SIZE = 50
# Actions that undo or refuse work get the quieter, warning-coloured button.
BACKWARD_ACTIONS = {"send_back", "reject"}
STATE_TONES = {
    "reported": "new",
    "filed": "info",
    "dispatched": "work",
    "handled": "check",
    "verified": "check",
    "closed": "done",
    "rejected": "muted",
}


def console_page(view):
    """Logged in, and holding a console role somewhere; others get a polite page, not the data."""

    @wraps(view)
    @login_required
    def wrapped(request, *args, **kwargs):
        if not roles_of(request.user) & CONSOLE_ROLES:
            return render(
                request, "console/no_access.html", {"nav": desktop_nav(request.user)}, status=403
            )
        return view(request, *args, **kwargs)

    return wrapped


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _int_or_none(raw: str | None) -> int | None:
    try:
        return int(raw) if raw else None
    except ValueError:
        return None


# ---------------------------------------------------------------------------------------------
# 工单列表
# ---------------------------------------------------------------------------------------------


@require_GET
@console_page
def work_orders(request):
    """工单列表: the orders this person may see, filtered, 50 a page, in constant queries."""
    person = request.user
    states = list(CLOSED_LOOP["states"])
    state = request.GET.get("state", "")
    if state not in states:
        state = ""
    app = request.GET.get("app", "")
    unit_id = _int_or_none(request.GET.get("unit"))

    apps = list(light_apps_visible_to(person).order_by("name").values("key", "name"))
    if app and app not in {a["key"] for a in apps}:
        app = ""
    units = list(
        org_units_visible_to(person)
        .filter(kind__in=[OrgUnit.Kind.STREET, OrgUnit.Kind.GRID])
        .only("pk", "name", "kind", "path", "depth")
    )
    if unit_id and unit_id not in {u.pk for u in units}:
        unit_id = None

    # Counters per state over the same app/unit filter, regardless of the chosen state.
    now = timezone.now()
    counted = (
        work_order_list(person=person, app=app, org_unit=unit_id)
        .order_by()
        .values("state")
        .annotate(
            n=Count("pk"),
            overdue=Count("pk", filter=Q(due_at__lt=now, closed_at__isnull=True)),
        )
    )
    by_state = {row["state"]: row for row in counted}
    counters = [
        {
            "state": key,
            "label": str(info["label"]),
            "n": by_state.get(key, {}).get("n", 0),
            "overdue": by_state.get(key, {}).get("overdue", 0),
            "tone": STATE_TONES.get(key, "info"),
        }
        for key, info in CLOSED_LOOP["states"].items()
    ]
    total = sum(row["n"] for row in by_state.values())
    overdue_total = sum(row["overdue"] for row in by_state.values())

    orders = work_orders_with_flow(
        work_order_list(person=person, state=state, app=app, org_unit=unit_id)
    )
    page = Paginator(orders, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = list(page.object_list)
    labels = unit_labels([o.org_unit for o in rows])
    for order in rows:
        template = flow_template(order.submission.version.flow)
        order.location_label = labels.get(order.org_unit_id, "")
        order.state_text = state_label(template, order.state)
        order.state_tone = STATE_TONES.get(order.state, "info")
        order.left = work_order_time_left(order, now=now)

    unit_options = [
        {"pk": u.pk, "name": u.name, "indent": u.kind == OrgUnit.Kind.GRID} for u in units
    ]
    context = {
        "nav": desktop_nav(person),
        "page": page,
        "rows": rows,
        "counters": counters,
        "total": total,
        "overdue_total": overdue_total,
        "states": [(key, str(info["label"])) for key, info in CLOSED_LOOP["states"].items()],
        "apps": apps,
        "units": unit_options,
        "selected": {"state": state, "app": app, "unit": unit_id},
        "filtered": bool(state or app or unit_id),
    }
    return render(request, "console/work_orders.html", context)


# ---------------------------------------------------------------------------------------------
# 工单详情 and actions
# ---------------------------------------------------------------------------------------------


def _detail_context(request, order, *, error=None, failed_action="", note="") -> dict:
    person = request.user
    version = order.submission.version
    template = flow_template(version.flow)
    events = list(events_of(order))
    labels = unit_labels([order.org_unit, order.assignee_unit, order.submission.org_unit])
    timeline = [
        {
            "at": e.created_at,
            "actor": e.actor.display_name if e.actor else _("系统"),
            "action": action_label(template, e.action),
            "action_key": e.action,
            "from": state_label(template, e.from_state) if e.from_state else "",
            "to": state_label(template, e.to_state),
            "note": e.note,
        }
        for e in events
    ]
    actions = [
        {
            "action": t["action"],
            "label": str(t["label"]),
            "to": state_label(template, t["to"]),
            "note_required": "note" in t.get("requires", []),
            "backward": t["action"] in BACKWARD_ACTIONS,
            "note": note if t["action"] == failed_action else "",
            "error": error if t["action"] == failed_action else None,
        }
        for t in allowed_transitions(order=order, person=person)
    ]
    submission = order.submission
    return {
        "nav": desktop_nav(person),
        "order": order,
        "version": version,
        "submission": submission,
        "state_text": state_label(template, order.state),
        "state_tone": STATE_TONES.get(order.state, "info"),
        "location_label": labels.get(order.org_unit_id, ""),
        "assignee_label": labels.get(order.assignee_unit_id, "") if order.assignee_unit else "",
        "left": work_order_time_left(order),
        "answers": answers_for_display(version.schema, version.ui, submission.data),
        "timeline": timeline,
        "actions": actions,
        "error": error,
        "failed_action": failed_action,
        "failed_note": note,
    }


def _visible_order(request, pk: int):
    order = work_order_detail(person=request.user, pk=pk)
    if order is None:
        raise Http404
    return order


@require_GET
@console_page
def work_order(request, pk: int):
    """工单详情: header, answers, timeline and the actions this person may take now."""
    order = _visible_order(request, pk)
    return render(request, "console/work_order.html", _detail_context(request, order))


@require_POST
@console_page
def act(request, pk: int):
    """One action on one order, through the one service that may change it."""
    order = _visible_order(request, pk)
    action = request.POST.get("action", "")
    note = request.POST.get("note", "")
    expected_state = request.POST.get("expected_state") or None
    try:
        changed = work_order_transition(
            order=order,
            action=action,
            actor=request.user,
            note=note,
            expected_state=expected_state,
        )
    except DomainError as exc:
        fresh = _visible_order(request, pk)
        error = {"message": exc.message, "code": exc.code, "fields": exc.fields}
        context = _detail_context(request, fresh, error=error, failed_action=action, note=note)
        return render(request, "console/work_order.html", context, status=exc.status)
    template = flow_template(changed.submission.version.flow)
    messages.success(
        request,
        _("已%(action)s，工单 %(number)s 现为“%(state)s”")
        % {
            "action": action_label(template, action),
            "number": changed.number,
            "state": state_label(template, changed.state),
        },
    )
    return redirect("console:work_order", pk=changed.pk)
