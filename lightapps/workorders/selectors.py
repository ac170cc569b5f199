"""Reads on work orders; every face scopes through work_orders_visible_to."""

import math
from datetime import date, datetime, time, timedelta

from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _

from lightapps.definitions.flows import FLOW_TEMPLATES, duplicate_settings, flow_template
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Person
from lightapps.orgs.selectors import (
    work_order_q,
    work_order_q_parts,
    work_order_q_reported_only,
    work_order_q_through_units,
    work_orders_under_q,
)
from lightapps.params import id_parse

from . import figures
from .models import WorkOrder, WorkOrderEvent, WorkOrderTally


def work_orders_visible_to(person: Person):
    """Orders of the person's places and assigned units, and the ones they reported (work_order_q)."""
    if not getattr(person, "is_authenticated", False):
        return WorkOrder.objects.none()
    return WorkOrder.objects.filter(work_order_q(person))


# 时限 filters: open orders past their deadline, and open ones the escalation pass marked 即将超时
# for the deadline they have now (an extension moves the deadline and clears the mark).
DUE_FILTERS = ("overdue", "due_soon")


def work_order_states() -> set[str]:
    """Every state of every flow: what a `state` filter may name."""
    return {key for template in FLOW_TEMPLATES.values() for key in template["states"]}


# The lists behind a figure (lightapps.workorders.figures_links): dates are local days
# (TIME_ZONE, Asia/Shanghai) as YYYY-MM-DD, `*_until` inclusive.
DATE_FILTERS = (
    "created_since", "created_until", "closed_since", "closed_until",
    "step_since", "step_until", "due_since", "due_until",
)  # fmt: skip
# step=: orders with such a step (in step_since..step_until); outcome=: 应结案 cases (less
# 不予立案/已合并), done ones (结案/完成), ones waiting for 处置.
STEP_FILTERS = ("handle", "handle_on_time", "rework")
OUTCOME_FILTERS = ("case", "done", "waiting")
# sort=: 时限 (open orders first, the nearest deadline first), newest, oldest, urgent first.
# Without one, a list of open orders (a due filter, or an open state) is sorted by 时限.
# Each ends in the id, so that a page boundary is exact and a list reads the same backwards
# (lightapps.paging reads a deep page from the far end).
SORTS = {
    "due": (
        F("closed_at").asc(nulls_first=True), F("due_at").asc(nulls_last=True), "-created_at",
        "-id",
    ),
    "-created": ("-created_at", "-id"),
    "created": ("created_at", "id"),
    "priority": ("-priority", F("due_at").asc(nulls_last=True), "-created_at", "-id"),
}  # fmt: skip
PRIORITIES = ("normal", "urgent")
SEARCH_MAX = 100
EARLIEST = date(1900, 1, 1)
LATEST = date(2999, 12, 31)


def local_day_start(day: date) -> datetime:
    """The first instant of a local day (TIME_ZONE)."""
    return timezone.make_aware(datetime.combine(day, time.min))


def date_param_parse(raw: str) -> date | None:
    """A YYYY-MM-DD day between 1900 and 2999, else None."""
    try:
        value = parse_date(raw.strip())
    except ValueError:
        return None
    return value if value and EARLIEST <= value <= LATEST else None


def work_order_filters_parse(params) -> dict:
    """A list's query: `state`, `due`, and the filters of the lists behind a figure (`under`,
    the date ranges, `step`, `outcome`): known values, or 400 `invalid_filter` naming each bad
    field (never a silent "everything")."""
    state, due = params.get("state", ""), params.get("due", "")
    fields = {}
    if state and state not in work_order_states():
        fields["state"] = [_("没有这个状态：%s") % state[:40]]
    if due and due not in DUE_FILTERS:
        fields["due"] = [_("时限只能是 overdue（已超时）或 due_soon（即将超时）")]
    found = {"state": state, "due": due}
    raw_under = (params.get("under") or "").strip()
    found["under"] = id_parse(raw_under)
    if raw_under and found["under"] is None:
        fields["under"] = [_("请填写有效的单位编号")]
    for name in DATE_FILTERS:
        raw = (params.get(name) or "").strip()
        found[name] = date_param_parse(raw) if raw else None
        if raw and found[name] is None:
            fields[name] = [_("请填写有效日期，格式如 2026-12-01")]
    for prefix in ("created", "closed", "step", "due"):
        since, until = found[f"{prefix}_since"], found[f"{prefix}_until"]
        if since and until and since > until:
            fields[f"{prefix}_until"] = [_("结束日期不能早于开始日期")]
    for name, allowed in (("step", STEP_FILTERS), ("outcome", OUTCOME_FILTERS)):
        found[name] = params.get(name, "")
        if found[name] and found[name] not in allowed:
            fields[name] = [_("只能是：%s") % "、".join(allowed)]
    if (found["step_since"] or found["step_until"]) and not found["step"]:
        fields["step"] = [_("按步骤日期筛选时需指定 step")]
    found["q"] = (params.get("q") or "").strip()
    if len(found["q"]) > SEARCH_MAX:
        fields["q"] = [_("搜索内容不能超过 %d 个字") % SEARCH_MAX]
    found["priority"] = params.get("priority", "")
    if found["priority"] and found["priority"] not in PRIORITIES:
        fields["priority"] = [_("只能是：%s") % "、".join(PRIORITIES)]
    for name in ("assignee", "reporter"):
        raw = (params.get(name) or "").strip()
        found[name] = id_parse(raw)
        if raw and found[name] is None:
            fields[name] = [_("请填写有效的人员编号")]
    found["sort"] = params.get("sort", "")
    if found["sort"] and found["sort"] not in SORTS:
        fields["sort"] = [_("只能是：%s") % "、".join(SORTS)]
    if fields:
        raise DomainError(_("筛选条件有误，请修改后再试"), code="invalid_filter", fields=fields)
    return found


def due_q(due: str, *, now=None) -> Q:
    now = now or timezone.now()
    open_ = Q(closed_at__isnull=True, due_at__isnull=False)
    if due == "overdue":
        return open_ & Q(due_at__lt=now)
    if due == "due_soon":
        return open_ & Q(due_at__gte=now, due_soon_for=F("due_at"))
    return Q()


def _day_range_q(field: str, since: date | None, until: date | None) -> Q:
    q = Q()
    if since:
        q &= Q(**{f"{field}__gte": local_day_start(since)})
    if until:
        q &= Q(**{f"{field}__lt": local_day_start(until + timedelta(days=1))})
    return q


def _figure_filters_q(f: dict) -> Q:
    """The lists behind a figure, with the figures' own definitions (lightapps.workorders.figures),
    and the search: `q` in the number, the title (what and where) or the answers'
    search_text (workorders.titles), priority, who is assigned,
    who reported."""
    q = _day_range_q("created_at", f.get("created_since"), f.get("created_until"))
    if f.get("q"):
        q &= (
            Q(number__icontains=f["q"])
            | Q(title__icontains=f["q"])
            | Q(search_text__icontains=f["q"])
        )
    if f.get("priority"):
        q &= Q(priority=f["priority"])
    if f.get("assignee"):
        q &= Q(assignee_id=f["assignee"])
    if f.get("reporter"):
        q &= Q(reporter_id=f["reporter"])
    if f.get("closed_since") or f.get("closed_until"):
        q &= Q(state__in=figures.DONE_STATES) & _day_range_q(
            "closed_at", f.get("closed_since"), f.get("closed_until")
        )
    q &= _day_range_q("due_at", f.get("due_since"), f.get("due_until"))
    outcome = f.get("outcome")
    if outcome == "case":
        q &= ~Q(state__in=figures.NOT_CASES)
    elif outcome == "done":
        q &= Q(state__in=figures.DONE_STATES)
    elif outcome == "waiting":
        q &= Q(state__in=figures.WAITING_FOR_HANDLING)
    if f.get("step"):
        steps = WorkOrderEvent.objects.filter(
            figures.STEP_FILTERS[f["step"]],
            _day_range_q("created_at", f.get("step_since"), f.get("step_until")),
        )
        q &= Q(pk__in=steps.values("order_id"))
    return q


# What a list row never shows and would cost a JSON decode each: the app's drafts, the units'
# boundaries (a polygon per row).
LIST_DEFERRED = (
    "app__draft_schema", "app__draft_ui", "app__draft_flow",
    "org_unit__boundary", "assignee_unit__boundary",
)  # fmt: skip


def work_order_filters_q(
    *,
    state: str = "",
    app: str = "",
    org_unit: int | None = None,
    due: str = "",
    under: int | None = None,
    **figure_filters,
) -> Q:
    """The list's filters as one condition: `org_unit` by place; `under` by place or assigned
    unit (work_orders_under_q, as the figures count a unit's orders); figure_filters (and `q`,
    `priority`, `assignee`, `reporter`) as parsed by work_order_filters_parse."""
    q = Q()
    if state:
        q &= Q(state=state)
    if due:
        q &= due_q(due)
    if app:
        q &= Q(app__key=app)
    if org_unit:
        path = OrgUnit.objects.filter(pk=org_unit).values_list("path", flat=True).first()
        q &= Q(org_path__startswith=path) if path else Q(pk__in=[])
    if under:
        path = OrgUnit.objects.filter(pk=under).values_list("path", flat=True).first()
        q &= work_orders_under_q(path) if path else Q(pk__in=[])
    return q & _figure_filters_q(figure_filters)


def work_order_list(*, person: Person, sort: str = "", **filters):
    """The orders the person sees, filtered (work_order_filters_q), sorted by `sort` (SORTS; by
    default 时限 for a list of open orders, else newest first)."""
    qs = (
        work_orders_visible_to(person)
        .select_related("app", "org_unit", "assignee_unit")
        .defer(*LIST_DEFERRED)
        .filter(work_order_filters_q(**filters))
    )
    if not sort:
        state, due = filters.get("state"), filters.get("due")
        open_only = due or (state and state not in (*figures.DONE_STATES, *figures.NOT_CASES))
        sort = "due" if open_only else "-created"
    return qs.order_by(*SORTS[sort])


def work_order_state_counts(*, person: Person, now=None, **filters) -> dict[str, dict]:
    """{state: {"n": orders, "overdue": open ones past their deadline}} of the orders the
    person sees, filtered as work_order_list, in one statement (work_order_state_count_query)."""
    if not getattr(person, "is_authenticated", False):
        return {}
    found: dict[str, dict] = {}
    for row in work_order_state_count_query(person=person, now=now, **filters):
        into = found.setdefault(row["state"], {"state": row["state"], "n": 0, "overdue": 0})
        into["n"] += row["n"]
        into["overdue"] += row["overdue"]
    return found


# The filters WorkOrderTally can follow (its columns: the two paths, app, state).
TALLIED_FILTERS = frozenset({"state", "app", "org_unit", "under"})


def work_order_state_count_query(*, person: Person, now=None, **filters) -> QuerySet:
    """The counters' one statement. With no filter but those the tally follows
    (TALLIED_FILTERS): the tally's rows under the person's units added up, the orders they see
    only as reporter counted, and the open ones past their deadline counted from the partial
    index of open deadlines — a few thousand rows to read for a district's million orders.
    Otherwise the UNION ALL of a GROUP BY state per disjoint part of the person's scope
    (work_order_q_parts): each part is read from its covering index alone (migration 0009), and
    the parts' rows add up to the counts. The OR of the parts would read every matching row."""
    now = now or timezone.now()
    where = work_order_filters_q(**filters)
    if all(name in TALLIED_FILTERS or not value for name, value in filters.items()):
        return _tallied_count_query(person=person, where=where, now=now)
    # Count a column the indexes carry (state): COUNT(id) would fetch every row for its id.
    counts = {
        "n": Count("state"),
        "overdue": Count("state", filter=figures.overdue_now_q(now)),
    }
    branches = [
        WorkOrder.objects.filter(part).filter(where).order_by().values("state").annotate(**counts)
        for part in work_order_q_parts(person)
    ]
    return branches[0].union(*branches[1:], all=True)


def _tallied_count_query(*, person: Person, where: Q, now) -> QuerySet:
    none = Value(0, output_field=IntegerField())
    tallied = (
        WorkOrderTally.objects.filter(work_order_q_through_units(person), where)
        .order_by()
        .values("state")
        .annotate(n=Sum("n"), overdue=none)
    )
    reported = (
        WorkOrder.objects.filter(work_order_q_reported_only(person), where)
        .order_by()
        .values("state")
        .annotate(n=Count("state"), overdue=none)
    )
    overdue = (
        WorkOrder.objects.filter(work_order_q(person), where, figures.overdue_now_q(now))
        .order_by()
        .values("state")
        .annotate(n=none, overdue=Count("state"))
    )
    return tallied.union(reported, overdue, all=True)


def work_orders_with_flow(orders: QuerySet[WorkOrder]) -> QuerySet[WorkOrder]:
    """The orders with their version's flow in the same query (what work_order_time_left reads).

    The answers, schema and ui are left out: a list needs none of them.
    """
    return orders.select_related("submission__version").defer(
        "submission__data", "submission__version__schema", "submission__version__ui"
    )


def work_order_detail(*, person: Person, pk: int) -> WorkOrder | None:
    return (
        work_orders_visible_to(person)
        .select_related(
            "app", "org_unit", "assignee_unit", "assignee", "submission__version",
            "submission__reporter", "merged_into", "escalated_to",
        )
        .filter(pk=pk)
        .first()
    )  # fmt: skip


def events_visible_since(*, person: Person, since: int, limit: int = 100) -> list[dict]:
    """Steps after event id `since` of the orders the person sees, oldest first, at most `limit`
    (+1, so the caller can tell there were more): what a live console missed while away."""
    rows = (
        WorkOrderEvent.objects.filter(pk__gt=since, order__in=work_orders_visible_to(person))
        .order_by("pk")
        .values("pk", "order_id", "order__number", "order__state", "action")[: limit + 1]
    )
    return [
        {"event": r["pk"], "order": r["order_id"], "number": r["order__number"],
         "state": r["order__state"], "action": r["action"]}
        for r in rows
    ]  # fmt: skip


def latest_event_id() -> int:
    """The newest step's id: where a page's live updates start from."""
    return WorkOrderEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def events_of(order: WorkOrder):
    return order.events.select_related("actor", "assignee_unit").order_by("created_at", "id")


# ---------------------------------------------------------------------------------------------
# 重复上报: open orders of the same app near a new one
# ---------------------------------------------------------------------------------------------

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1: float, lng1: float, lat2: float, lng2: float) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lng2 - lng1)
    a = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def work_order_duplicate_candidates(
    *, order: WorkOrder, person: Person, limit: int = 10
) -> list[dict]:
    """Older open orders of the same app within the flow's distance and days of this one.

    Shown to the dispatcher while the order waits for 立案 and nobody has kept it separate.
    The database narrows by a bounding box; the exact distance is checked on those few rows.
    Returns [{"order", "distance_m"}] nearest first.
    """
    submission = order.submission
    lat, lng = submission.latitude, submission.longitude
    template = flow_template(submission.version.flow)
    if lat is None or lng is None or template is None or order.state != template["initial"]:
        return []
    if order.events.filter(action="keep_separate").exists():
        return []
    settings = duplicate_settings(submission.version.flow)
    within = float(settings["within_m"])
    dlat = within / 111_320
    dlng = within / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    since = order.created_at - timedelta(days=int(settings["days"]))
    nearby = (
        work_orders_visible_to(person)
        .filter(
            app_id=order.app_id,
            closed_at__isnull=True,
            pk__lt=order.pk,
            created_at__gte=since,
            submission__latitude__range=(lat - dlat, lat + dlat),
            submission__longitude__range=(lng - dlng, lng + dlng),
        )
        .select_related("submission")
        .order_by("-pk")[:100]
    )
    found = []
    for other in nearby:
        d = distance_m(lat, lng, other.submission.latitude, other.submission.longitude)
        if d <= within:
            found.append({"order": other, "distance_m": round(d)})
    found.sort(key=lambda c: c["distance_m"])
    return found[:limit]
