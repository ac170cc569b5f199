"""Reads on work orders; every face scopes through work_orders_visible_to."""

import math
from datetime import timedelta

from django.db.models import F, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.definitions.flows import FLOW_TEMPLATES, duplicate_settings, flow_template
from lightapps.errors import DomainError
from lightapps.orgs.models import OrgUnit, Person
from lightapps.orgs.selectors import work_order_q

from .models import WorkOrder, WorkOrderEvent


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


def work_order_filters_parse(params) -> dict:
    """`state` and `due` of a list's query: known values, or 400 `invalid_filter` naming the
    field (never a silent "everything")."""
    state, due = params.get("state", ""), params.get("due", "")
    fields = {}
    if state and state not in work_order_states():
        fields["state"] = [_("没有这个状态：%s") % state[:40]]
    if due and due not in DUE_FILTERS:
        fields["due"] = [_("时限只能是 overdue（已超时）或 due_soon（即将超时）")]
    if fields:
        raise DomainError(_("筛选条件有误，请修改后再试"), code="invalid_filter", fields=fields)
    return {"state": state, "due": due}


def due_q(due: str, *, now=None) -> Q:
    now = now or timezone.now()
    open_ = Q(closed_at__isnull=True, due_at__isnull=False)
    if due == "overdue":
        return open_ & Q(due_at__lt=now)
    if due == "due_soon":
        return open_ & Q(due_at__gte=now, due_soon_for=F("due_at"))
    return Q()


def work_order_list(
    *,
    person: Person,
    state: str = "",
    app: str = "",
    org_unit: int | None = None,
    due: str = "",
):
    qs = work_orders_visible_to(person).select_related("app", "org_unit", "assignee_unit")
    if state:
        qs = qs.filter(state=state)
    if due:
        qs = qs.filter(due_q(due))
    if app:
        qs = qs.filter(app__key=app)
    if org_unit:
        unit = OrgUnit.objects.filter(pk=org_unit).first()
        qs = qs.filter(org_path__startswith=unit.path) if unit else qs.none()
    return qs.order_by("-created_at")


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
