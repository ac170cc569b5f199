"""督办台: the supervisors' desktop pages. Thin: parse, authorise, call one service, render.

Who sees which order is decided by `work_orders_visible_to` (through `work_order_list` and
`work_order_detail`); who may do what by `step_actions` / `work_order_transition`.
"""

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from lightapps.definitions.flows import (
    CLOSED_LOOP,
    FLOW_TEMPLATES,
    action_label,
    decides_duplicates,
    flow_template,
    state_label,
    transition_for,
)
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Role
from lightapps.orgs.selectors import org_units_visible_to, people_in_scope, unit_labels
from lightapps.paging import CountedPaginator
from lightapps.params import id_parse
from lightapps.submissions.display import answers_for_display, photo_links
from lightapps.submissions.selectors import light_apps_with_data_visible_to
from lightapps.web.nav import desktop_nav
from lightapps.web.reveal import reveal_from_request
from lightapps.workorders.deadlines import work_order_time_left
from lightapps.workorders.selectors import (
    events_of,
    latest_event_id,
    work_order_detail,
    work_order_duplicate_candidates,
    work_order_filters_parse,
    work_order_list,
    work_order_state_counts,
    work_orders_with_flow,
)
from lightapps.workorders.services import work_order_transition
from lightapps.workorders.steps import (
    EXTENSION_UNITS,
    dispatch_targets,
    step_actions,
    step_input_parse,
)

from .access import console_page
from .bulk import bulk_context
from .detail_parts import extension_asked, photo_stages, place_map
from .saved_filters import list_query, saved_filters_of

PAGE_SIZE = 50
STATE_TONES = {
    "reported": "new",
    "filed": "info",
    "dispatched": "work",
    "extension_requested": "work",
    "suspended": "muted",
    "handled": "check",
    "verified": "check",
    "closed": "done",
    "rejected": "muted",
    "merged": "muted",
    "reviewed": "done",
}


def _console_states() -> dict:
    """Every flow's states, the closed loop's first, so that a simpler flow's own states (简易审核's
    已完成) have a counter and a filter too; a key two flows share keeps the closed loop's label."""
    states = dict(CLOSED_LOOP["states"])
    for template in FLOW_TEMPLATES.values():
        for key, info in template["states"].items():
            states.setdefault(key, info)
    return states


CONSOLE_STATES = _console_states()


# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def _int_or_none(raw: str | None) -> int | None:
    return id_parse(raw)


def live_context(*, order: int | None = None) -> dict:
    """The page's live updates (templates/console/_live.html): the websocket's address (LIVE_WS_URL,
    else /ws/console/ on this host) and the newest step already in what the page shows."""
    return {"url": settings.LIVE_WS_URL, "since": latest_event_id(), "order": order}


# ---------------------------------------------------------------------------------------------
# 工单列表
# ---------------------------------------------------------------------------------------------


def list_filters(request) -> tuple[dict, DomainError | None, list, list]:
    """The list's query as parsed (state, due, app, unit, and in `more` the search, the sort and
    the filters of the lists behind a figure), the error if any, and the app and unit options."""
    return list_filters_for(request.user, request.GET)


def list_filters_for(person, params) -> tuple[dict, DomainError | None, list, list]:
    """list_filters for a person and a query (a QueryDict), as a background export reads it."""
    try:
        parsed = work_order_filters_parse(params)
        error = None
    except DomainError as exc:
        parsed, error = {"state": "", "due": ""}, exc
    app = params.get("app", "")
    unit_id = _int_or_none(params.get("unit"))
    apps = list(light_apps_with_data_visible_to(person).order_by("name").values("key", "name"))
    if app and app not in {a["key"] for a in apps}:
        app = ""
    units = list(
        org_units_visible_to(person)
        .filter(kind__in=[OrgUnit.Kind.STREET, OrgUnit.Kind.GRID])
        .only("pk", "name", "kind", "path", "depth")
    )
    if unit_id and unit_id not in {u.pk for u in units}:
        unit_id = None
    more = {k: v for k, v in parsed.items() if k not in ("state", "due") and v}
    filters = {"state": parsed["state"], "due": parsed["due"], "app": app, "unit": unit_id}
    return {**filters, "more": more, "parsed": parsed}, error, apps, units


def filtered_orders(person, filters: dict):
    """The orders of list_filters' `filters`, as the list and its exports read them."""
    return work_orders_with_flow(
        work_order_list(
            person=person,
            state=filters["state"],
            app=filters["app"],
            org_unit=filters["unit"],
            due=filters["due"],
            **filters["more"],
        )
    )


def _people_pickers(person, parsed: dict) -> dict:
    """上报人 and 处置人 choosers: the people of the person's units (and district departments)
    holding the role, grouped by unit; a chosen one from elsewhere (a figure's link) kept."""
    found = people_in_scope(person, roles=[Role.REPORTER, Role.HANDLER])
    pickers = {}
    for name, role in (("reporter", Role.REPORTER), ("assignee", Role.HANDLER)):
        groups: dict[int, tuple[str, list[dict]]] = {}  # by unit id: two 第1网格 stay apart
        seen = set()
        for m in found:
            if m.role == role and m.person_id not in seen:
                seen.add(m.person_id)
                groups.setdefault(m.org_unit_id, (m.org_unit.name, []))[1].append(
                    {"pk": m.person_id, "name": m.person.display_name}
                )
        chosen = parsed.get(name)
        extra = (
            {"pk": chosen, "name": _("人员 %d") % chosen} if chosen and chosen not in seen else None
        )
        pickers[name] = {"groups": list(groups.values()), "extra": extra}
    return pickers


@require_GET
@console_page
def work_orders(request):
    """工单列表: the orders this person may see, filtered, 50 a page, in constant queries."""
    person = request.user
    filters, error, apps, units = list_filters(request)
    state, due, app, unit_id = filters["state"], filters["due"], filters["app"], filters["unit"]
    figure_filters = filters["more"]

    # Counters per state over every other filter (app, unit, due, a figure's), whatever the
    # chosen state: the total is the list's length when no state is chosen.
    now = timezone.now()
    by_state = work_order_state_counts(
        person=person, now=now, app=app, org_unit=unit_id, due=due, **figure_filters
    )
    counters = [
        {
            "state": key,
            "label": str(info["label"]),
            "n": by_state.get(key, {}).get("n", 0),
            "overdue": by_state.get(key, {}).get("overdue", 0),
            "tone": STATE_TONES.get(key, "info"),
        }
        for key, info in CONSOLE_STATES.items()
        # A simpler flow's own states only where there are such orders (or one is chosen).
        if key in CLOSED_LOOP["states"] or key in by_state or key == state
    ]
    total = sum(row["n"] for row in by_state.values())
    overdue_total = sum(row["overdue"] for row in by_state.values())

    orders = filtered_orders(person, filters)
    if error:
        orders = orders.none()  # a refused filter lists nothing, and says why
    # The list is the counters' orders of the chosen state: its length is known already.
    length = 0 if error else by_state.get(state, {}).get("n", 0) if state else total
    page = CountedPaginator(orders, PAGE_SIZE, count=length).get_page(request.GET.get("page"))
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
    current_query = list_query(request.GET)
    context = {
        "saved_filters": [
            {"pk": f.pk, "name": f.name, "query": f.query, "current": f.query == current_query}
            for f in saved_filters_of(person)
        ],
        "current_query": current_query,
        "pickers": _people_pickers(person, filters["parsed"]),
        "bulk": bulk_context(person, units, state=state) if rows else None,
        "nav": desktop_nav(person),
        "page": page,
        "rows": rows,
        "counters": counters,
        "total": total,
        "overdue_total": overdue_total,
        "states": [(key, str(info["label"])) for key, info in CONSOLE_STATES.items()],
        "apps": apps,
        "units": unit_options,
        "selected": {
            "state": state,
            "app": app,
            "unit": unit_id,
            "due": due,
            **{k: filters["parsed"].get(k) or "" for k in ("q", "priority", "sort")},
            **{k: filters["parsed"].get(k) for k in ("assignee", "reporter")},
        },  # fmt: skip
        "sorts": [
            ("due", _("时限最近的在前")),
            ("-created", _("最新上报在前")),
            ("created", _("最早上报在前")),
            ("priority", _("紧急的在前")),
        ],
        "filtered": bool(state or app or unit_id or due or figure_filters or error),
        "dues": [("overdue", _("已超时")), ("due_soon", _("即将超时"))],
        "error": error,
        "field_labels": {
            "state": _("状态"),
            "due": _("时限"),
            "under": _("单位"),
            "step": _("步骤"),
            "outcome": _("结果"),
            "created_since": _("上报起"),
            "created_until": _("上报止"),
            "closed_since": _("结案起"),
            "closed_until": _("结案止"),
            "step_since": _("步骤起"),
            "step_until": _("步骤止"),
            "due_since": _("时限起"),
            "due_until": _("时限止"),
            "q": _("搜索"),
            "priority": _("紧急程度"),
            "assignee": _("处置人"),
            "reporter": _("上报人"),
            "sort": _("排序"),
        },  # fmt: skip
        "live": live_context(),
    }
    return render(
        request, "console/work_orders.html", context, status=error.status if error else 200
    )


# ---------------------------------------------------------------------------------------------
# 工单详情 and actions
# ---------------------------------------------------------------------------------------------


def _event_detail(e, unit_names: dict[int, str]) -> str:
    """What a step carried, in words: the unit sent to, the extension asked, the merged order."""
    data = e.data or {}
    parts = []
    if data.get("target_unit") in unit_names:
        parts.append(_("承办单位：%s") % unit_names[data["target_unit"]])
    if e.action == "escalate" and data.get("to_unit") in unit_names:
        parts.append(_("升级至：%s") % unit_names[data["to_unit"]])
    ext = data.get("extension")
    if ext:
        unit = dict(EXTENSION_UNITS).get(ext.get("unit"), "")
        parts.append(_("申请延期：%(n)s%(unit)s") % {"n": ext.get("amount"), "unit": unit})
    if data.get("merged_into"):
        parts.append(_("已合并到工单 %s") % data["merged_into"]["number"])
    if data.get("merged"):
        parts.append(_("并入工单 %s") % data["merged"]["number"])
    return "；".join(str(p) for p in parts)


def _detail_context(request, order, *, error=None, failed_action="", note="", posted=None) -> dict:
    person = request.user
    posted = posted or {}
    version = order.submission.version
    template = flow_template(version.flow)
    events = list(events_of(order))
    labels = unit_labels([order.org_unit, order.assignee_unit, order.submission.org_unit])
    steps = step_actions(order=order, person=person)
    targets = dispatch_targets(order=order) if any(a["needs_unit"] for a in steps) else []
    target_labels = unit_labels(targets) if targets else {}
    mentioned = {
        v for e in events for k, v in (e.data or {}).items() if k in {"target_unit", "to_unit"}
    }
    unit_names = {u.pk: u.name for u in OrgUnit.objects.filter(pk__in=[m for m in mentioned if m])}
    timeline = [
        {
            "at": e.created_at,
            "actor": e.actor.display_name if e.actor else _("系统"),
            "action": action_label(template, e.action),
            "action_key": e.action,
            "from": state_label(template, e.from_state) if e.from_state else "",
            "to": state_label(template, e.to_state),
            "note": e.note,
            "detail": _event_detail(e, unit_names),
            "photos": photo_links((e.data or {}).get("photos")),
        }
        for e in events
    ]

    def form_for(step):
        mine = step["action"] == failed_action
        return {
            **step,
            "note": note if mine else "",
            "error": error if mine else None,
            "unit": _int_or_none(posted.get("target_unit")) if mine else None,
            "extension_amount": posted.get("extension_amount", "") if mine else "",
            "extension_unit": posted.get("extension_unit", "workday") if mine else "workday",
        }

    actions = [form_for(a) for a in steps if not a["duplicates"]]
    duplicate_actions = {a["action"] for a in steps if a["duplicates"]}
    duplicates = (
        work_order_duplicate_candidates(order=order, person=person) if duplicate_actions else []
    )
    submission = order.submission
    reveal, reveal_error = reveal_from_request(request, submission)
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
        "answers": answers_for_display(
            version.schema, version.ui, submission.data, reveal=reveal.fields
        ),
        "may_reveal": reveal.allowed,
        "reveal_error": reveal_error,
        "timeline": timeline,
        "actions": actions,
        "targets": [
            {"pk": u.pk, "label": target_labels.get(u.pk, u.name), "kind": u.get_kind_display()}
            for u in targets
        ],
        "extension_units": EXTENSION_UNITS,
        "duplicates": duplicates,
        "duplicate_actions": duplicate_actions,
        "duplicate_error": error if _decides_duplicates(template, failed_action) else None,
        "error": error,
        "failed_action": failed_action,
        "failed_note": note,
        "live": live_context(order=order.pk),
        "extension_asked": extension_asked(order, events),
        "photo_stages": photo_stages(submission, events),
        "place_map": place_map(order, reveal=reveal.fields),
    }


def _decides_duplicates(template, action: str) -> bool:
    transition = transition_for(template, action) if template and action else None
    return bool(transition) and decides_duplicates(transition)


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
    context = _detail_context(request, order)
    status = context["reveal_error"].status if context["reveal_error"] else 200
    return render(request, "console/work_order.html", context, status=status)


@require_POST
@console_page
def act(request, pk: int):
    """One action on one order, through the one service that may change it."""
    order = _visible_order(request, pk)
    post = request.POST
    action, note = post.get("action", ""), post.get("note", "")
    try:
        changed = work_order_transition(order=order, actor=request.user, **step_input_parse(post))
    except DomainError as exc:
        fresh = _visible_order(request, pk)
        error = {"message": exc.message, "code": exc.code, "fields": exc.fields}
        context = _detail_context(
            request, fresh, error=error, failed_action=action, note=note, posted=post
        )
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
