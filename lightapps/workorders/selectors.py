"""Reads on work orders; every face scopes through work_orders_visible_to."""

import math
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.definitions.flows import flow_template, state_label
from lightapps.orgs.models import Person
from lightapps.orgs.selectors import work_order_q

from .models import WorkOrder
from .worktime import HOURS_PER_WORKDAY, working_seconds_between

# Under this many seconds left an open order is shown as due soon.
SOON_SECONDS = 4 * 3600


def work_orders_visible_to(person: Person):
    """Orders of the person's places and assigned units, and the ones they reported (work_order_q)."""
    if not getattr(person, "is_authenticated", False):
        return WorkOrder.objects.none()
    return WorkOrder.objects.filter(work_order_q(person))


def work_order_list(*, person: Person, state: str = "", app: str = "", org_unit: int | None = None):
    qs = work_orders_visible_to(person).select_related("app", "org_unit", "assignee_unit")
    if state:
        qs = qs.filter(state=state)
    if app:
        qs = qs.filter(app__key=app)
    if org_unit:
        from lightapps.orgs.models import OrgUnit

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


def events_of(order: WorkOrder):
    return order.events.select_related("actor", "assignee_unit").order_by("created_at", "id")


# ---------------------------------------------------------------------------------------------
# 剩余时间: shown everywhere a work order is
# ---------------------------------------------------------------------------------------------


def _span(seconds: int) -> str:
    """A duration in its two largest units, e.g. "2天3小时", "5小时10分", "1分钟".

    Written tight on purpose: the console's 剩余时间 column has room for about eight characters.
    """
    minutes = seconds // 60
    days, minutes = divmod(minutes, 24 * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        if hours:
            return _("%(d)d天%(h)d小时") % {"d": days, "h": hours}
        return _("%d天") % days
    if hours:
        if minutes:
            return _("%(h)d小时%(m)d分") % {"h": hours, "m": minutes}
        return _("%d小时") % hours
    return _("%d分钟") % max(minutes, 1)


def work_order_time_left(order: WorkOrder, *, now: datetime | None = None) -> dict | None:
    """剩余时间 of an order: working time left until due_at, how long overdue, or closed.

    Returns {"text", "overdue", "soon", "closed", "seconds", "working"}: `seconds` until due_at
    (negative once overdue, None when closed), counted in working time (工作时: workdays
    09:00–17:00 with holidays and 调休) unless the order's clock is calendar time (紧急);
    `soon` is under four hours left. A closed order (a final state of its flow) says which final
    state, e.g. "已结案"; a suspended one says so. None: open without a deadline.
    Reads order.submission.version.flow; lists load it with work_orders_with_flow.
    """
    template = flow_template(order.submission.version.flow)
    if template is None or template["states"].get(order.state, {}).get("final"):
        text = state_label(template, order.state) if template else _("已结案")
        return {
            "text": text, "overdue": False, "soon": False, "closed": True, "seconds": None,
            "working": False,
        }  # fmt: skip
    if template["states"].get(order.state, {}).get("paused"):
        return {
            "text": _("已挂起，计时暂停"), "overdue": False, "soon": False, "closed": False,
            "seconds": None, "working": order.clock == "work",
        }  # fmt: skip
    if order.due_at is None:
        return None
    now = now or timezone.now()
    working = order.clock == "work"
    if working:
        seconds = working_seconds_between(now, order.due_at)
        if seconds == 0 and order.due_at <= now:
            seconds = -1 if order.due_at < now else 0
    else:
        seconds = math.floor((order.due_at - now).total_seconds())
    span = _work_span(abs(seconds)) if working else _span(abs(seconds))
    text = _("超时%s") % span if seconds < 0 else _("剩余%s") % span
    if working and -60 < seconds < 0:
        text = _("已超时")  # past due outside working hours: no working minute has gone by yet
    return {
        "text": text,
        "overdue": seconds < 0,
        "soon": 0 <= seconds < SOON_SECONDS,
        "closed": False,
        "seconds": seconds,
        "working": working,
    }


def _work_span(seconds: int) -> str:
    """Working time in 工作日 (8 working hours) and hours, e.g. "2工作日3小时", "5工时10分"."""
    minutes = seconds // 60
    days, minutes = divmod(minutes, HOURS_PER_WORKDAY * 60)
    hours, minutes = divmod(minutes, 60)
    if days:
        if hours:
            return _("%(d)d工作日%(h)d小时") % {"d": days, "h": hours}
        return _("%d工作日") % days
    if hours:
        if minutes:
            return _("%(h)d工时%(m)d分") % {"h": hours, "m": minutes}
        return _("%d工时") % hours
    return _("%d分钟") % max(minutes, 1)


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
    from lightapps.definitions.flows import duplicate_settings

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
