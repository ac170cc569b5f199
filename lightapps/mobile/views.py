"""移动端页面: the phone pages a grid worker opens from WeCom (WeUI, 375 px, Simplified Chinese).

Views stay thin: parse, authorise through the selectors, call one service, render. What is left
here is presentation only: turning field descriptors into the nodes the form template walks.
Answers and time left come from the same functions the console uses.
"""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.csrf import ensure_csrf_cookie
from django.views.decorators.http import require_GET, require_POST

from lightapps.definitions.flows import (
    action_label,
    flow_template,
    is_backward,
    state_label,
    transition_for,
)
from lightapps.definitions.selectors import (
    active_light_apps_visible_to,
    latest_version,
    with_latest_version_id,
)
from lightapps.errors import DomainError
from lightapps.mobile.offline import VERSION_HEADER, offline_page
from lightapps.orgs.models import Role
from lightapps.orgs.selectors import home_unit_of, memberships_of, unit_label
from lightapps.submissions.display import answers_for_display, photo_links
from lightapps.submissions.selectors import submissions_visible_to
from lightapps.web.phone_form import form_context, form_texts
from lightapps.web.reveal import reveal_from_request
from lightapps.workorders.deadlines import work_order_time_left
from lightapps.workorders.personal import my_reports, my_reports_count, orders_to_act_on
from lightapps.workorders.selectors import (
    events_of,
    work_order_detail,
    work_orders_visible_to,
    work_orders_with_flow,
)
from lightapps.workorders.services import work_order_transition
from lightapps.workorders.steps import (
    EXTENSION_UNITS,
    MAX_STEP_PHOTOS,
    dispatch_targets,
    step_actions,
    step_input_parse,
    step_photos_usable,
)

HOME_ORDERS = 20


# ---------------------------------------------------------------------------------------------
# Pages
# ---------------------------------------------------------------------------------------------


def _order_rows(orders, now) -> list[dict]:
    return [
        {
            "order": order,
            "state": state_label(flow_template(order.submission.version.flow), order.state),
            "time_left": work_order_time_left(order, now=now),
        }
        for order in orders
    ]


def _report_rows(reports, now) -> list[dict]:
    rows = []
    for s in reports:
        order = getattr(s, "work_order", None)
        if order is not None:
            order.submission = s  # loaded already: the time left reads its version's flow
        rows.append(
            {
                "report": s,
                "receipt": str(s.pk)[:8].upper(),
                "order": order,
                "state": state_label(flow_template(s.version.flow), order.state) if order else "",
                "time_left": work_order_time_left(order, now=now) if order else None,
            }
        )
    return rows


@require_GET
@login_required
@offline_page
def home(request):
    """首页: the apps the person may fill in, and three lists: 待我处理 (the orders waiting for
    this person's step, nearest deadline first; workorders.personal), 我的上报 (what they sent), and, for those
    whose role sees more than their own reports, 本辖区 (the latest orders they see)."""
    person = request.user
    apps = with_latest_version_id(active_light_apps_visible_to(person)).order_by("name")
    now = timezone.now()
    todo, todo_more = orders_to_act_on(person)
    mine = _report_rows(my_reports(person, limit=HOME_ORDERS), now)
    sees_area = any(m.role != Role.REPORTER for m in memberships_of(person))
    area = []
    if sees_area:
        orders = work_orders_with_flow(work_orders_visible_to(person).select_related("app"))
        area = _order_rows(orders.order_by("-created_at")[:HOME_ORDERS], now)
    tabs = [
        {"key": "todo", "label": _("待我处理"), "count": f"{len(todo)}{'+' if todo_more else ''}"},
        {"key": "mine", "label": _("我的上报"), "count": str(my_reports_count(person))},
    ]
    if sees_area:
        tabs.append({"key": "area", "label": _("本辖区"), "count": ""})
    unit = home_unit_of(person)
    apps = list(apps)
    # The forms the service worker keeps for offline use, fetched again when a version changes.
    offline_pages = [
        {"url": reverse("mobile:form", args=[app.key]), "version": app.latest_version_id}
        for app in apps
        if app.latest_version_id is not None
    ]
    return render(
        request,
        "mobile/home.html",
        {
            "apps": apps,
            "tabs": tabs,
            "first_tab": "todo" if todo else "mine",
            "todo": _order_rows(todo[:HOME_ORDERS], now),
            "todo_total": len(todo),
            "mine": mine,
            "area": area,
            "unit": unit_label(unit) if unit else "",
            "offline_page": True,
            "offline_pages": offline_pages,
            "outbox_texts": _outbox_texts(),
        },
    )


@require_GET
@login_required
@ensure_csrf_cookie
@offline_page
def form(request, key):
    """填报: the latest published version of an app, rendered on the server.

    `?version=N` renders an earlier published version: the form a draft on the phone was filled
    against, so that it is finished and sent against that version (form.js asks for it).
    """
    app = active_light_apps_visible_to(request.user).filter(key=key).first()
    asked = request.GET.get("version", "")
    if app is None:
        version = None
    elif asked:
        number = int(asked) if asked.isdigit() and len(asked) < 10 else 0
        version = app.versions.filter(number=number).first()
    else:
        version = latest_version(app)
    if version is None:
        raise Http404
    context = form_context(app=app, version=version, person=request.user)
    response = render(request, "mobile/form.html", {**context, "offline_page": True})
    response[VERSION_HEADER] = str(version.pk)
    return response


@require_GET
@login_required
def submitted(request, pk):
    """上报成功: only the reporter sees it; shows the work order it opened, if any."""
    submission = (
        submissions_visible_to(request.user)
        .filter(pk=pk, reporter=request.user)
        .select_related("app", "work_order")
        .first()
    )
    if submission is None:
        raise Http404
    return render(
        request,
        "mobile/submitted.html",
        {"submission": submission, "order": getattr(submission, "work_order", None)},
    )


@require_GET
@login_required
def work_order(request, pk):
    """工单: number, state, time left, the answers, the timeline and the person's actions."""
    order = work_order_detail(person=request.user, pk=pk)
    if order is None:
        raise Http404
    return _work_order_page(request, order)


@require_POST
@login_required
def work_order_act(request, pk):
    """办理: one transition through work_order_transition, then back to the order (PRG)."""
    order = work_order_detail(person=request.user, pk=pk)
    if order is None:
        raise Http404
    post = request.POST
    action = post.get("action", "")
    try:
        work_order_transition(order=order, actor=request.user, **step_input_parse(post))
    except DomainError as exc:
        return _work_order_page(request, order, error=exc, posted=post, status=exc.status)
    template = flow_template(order.submission.version.flow)
    messages.success(request, _("已办理：%s") % action_label(template, action))
    return redirect("mobile:work_order", pk=order.pk)


def _posted_photos(person, raw: list[str]) -> list[dict]:
    """The photos a failed step carried, shown again so the handler need not retake them."""
    ids = []
    for value in raw:
        try:
            ids.append(uuid.UUID(value))
        except ValueError:
            continue
    kept = set(step_photos_usable(person, ids).values_list("pk", flat=True))
    return photo_links([str(pk) for pk in ids if pk in kept])


def _standing_reason(template, order, events: list) -> dict | None:
    """The reason the order is where it is, when a step sent it back or refused it (退回返工,
    退回派遣, 不予立案, 挂起…) with a note: {"label", "note", "event"} of the latest such step while
    the order still stands where that step put it; shown at the top of the page, where the
    person who must act on it sees it first."""
    for row in reversed(events):  # oldest first: the latest backward step wins
        transition = transition_for(template, row["event"].action) if template else None
        if transition and is_backward(transition) and (row["event"].note or "").strip():
            return row if row["event"].to_state == order.state else None
    return None


def _work_order_page(request, order, *, error=None, posted=None, status=200):
    """The page; after a refused step, with what was posted filled in again (PRG on success)."""
    posted = posted or {}
    note = posted.get("note", "")
    photos = posted.getlist("photos") if hasattr(posted, "getlist") else []
    version = order.submission.version
    template = flow_template(version.flow)
    reveal, reveal_error = reveal_from_request(request, order.submission)
    if reveal_error and status == 200:
        status = reveal_error.status
    # 合并 and its opposite need the duplicate candidates: the console's 派遣 desk does them.
    transitions = [a for a in step_actions(order=order, person=request.user) if not a["duplicates"]]
    unit_for = [t["label"] for t in transitions if t["needs_unit"]]
    extension_for = [t["label"] for t in transitions if t["needs_extension"]]
    note_for = [t["label"] for t in transitions if t["needs_note"]]
    photos_for = [t["label"] for t in transitions if t["photos"]]
    events = [
        {
            "event": e,
            "label": action_label(template, e.action),
            "to_state": state_label(template, e.to_state),
            "photos": photo_links((e.data or {}).get("photos")),
        }
        for e in events_of(order)
    ]
    context = {
        "order": order,
        "state": state_label(template, order.state),
        "time_left": work_order_time_left(order),
        "reporter": order.submission.reporter,
        "unit": unit_label(order.org_unit),
        "answers": answers_for_display(
            version.schema, version.ui, order.submission.data, reveal=reveal.fields
        ),
        "may_reveal": reveal.allowed,
        "reveal_error": reveal_error,
        "events": list(reversed(events)),
        "standing_reason": _standing_reason(template, order, events),
        "transitions": transitions,
        "note_for": "、".join(note_for),
        "unit_for": "、".join(unit_for),
        "targets": dispatch_targets(order=order) if unit_for else [],
        "extension_for": "、".join(extension_for),
        "extension_units": EXTENSION_UNITS,
        "extension_amount": posted.get("extension_amount", ""),
        "extension_unit": posted.get("extension_unit", "workday"),
        "merged_into": order.merged_into,
        "error": error,
        "note_errors": (error.fields.get("note", []) if error else []),
        "unit_errors": (error.fields.get("target_unit", []) if error else []),
        "extension_errors": (error.fields.get("extension", []) if error else []),
        "note": note,
        "photos_for": "、".join(photos_for),
        "photo_errors": (error.fields.get("photos", []) if error else []),
        "posted_photos": _posted_photos(request.user, list(photos)) if photos else [],
        "max_photos": MAX_STEP_PHOTOS,
        "act_texts": _act_texts() if photos_for else {},
    }
    return render(request, "mobile/work_order.html", context, status=status)


def _act_texts() -> dict[str, str]:
    """What the step's photo uploader says (act.js), a subset of the form's texts."""
    keys = ("uploading", "upload_failed", "retry", "remove", "photo_removed", "undo", "photo_limit",
            "photos_pending", "photos_failed")  # fmt: skip
    texts = form_texts()
    return {key: texts[key] for key in keys}


# ---------------------------------------------------------------------------------------------
# Presentation helpers
# ---------------------------------------------------------------------------------------------


def _outbox_texts() -> dict[str, str]:
    """What the outbox list on /m/ says (outbox-list.js)."""
    return {
        "waiting": _("等待网络"),
        "waiting_login": _("等待重新登录"),
        "sending": _("发送中"),
        "delivered": _("已送达"),
        "refused": _("被退回"),
        "refused_reason": _("原因：%s"),
        "refused_unknown": _("服务器未说明原因"),
        "fix": _("去修改"),
        "work_order": _("工单 %s"),
        "time": _("%(m)s月%(d)s日 %(t)s 提交"),
        "form_url": reverse("mobile:form", args=["__app__"]),
    }
