"""Reads on work orders; every face scopes through work_orders_visible_to."""

import math
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.orgs.models import Person
from lightapps.orgs.selectors import scope_q

from .flows import flow_template, state_label
from .models import WorkOrder

# Under this many seconds left an open order is shown as due soon.
SOON_SECONDS = 4 * 3600


def work_orders_visible_to(person: Person):
    """Orders under a unit where the person holds any role, plus the ones they reported."""
    if not getattr(person, "is_authenticated", False):
        return WorkOrder.objects.none()
    q = scope_q(person, path_field="org_path") | Q(submission__reporter=person)
    return WorkOrder.objects.filter(q)


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
            "submission__reporter",
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
    """剩余时间 of an order: time left until due_at, how long overdue, or closed.

    Returns {"text", "overdue", "soon", "closed", "seconds"}: `seconds` until due_at (negative
    once overdue, None when closed); `soon` is under four hours left. A closed order (a final
    state of its flow) says which final state, e.g. "已结案". None: open without a deadline.
    Reads order.submission.version.flow; lists load it with work_orders_with_flow.
    """
    template = flow_template(order.submission.version.flow)
    if template is None or template["states"].get(order.state, {}).get("final"):
        text = state_label(template, order.state) if template else _("已结案")
        return {"text": text, "overdue": False, "soon": False, "closed": True, "seconds": None}
    if order.due_at is None:
        return None
    seconds = math.floor((order.due_at - (now or timezone.now())).total_seconds())
    span = _span(abs(seconds))
    text = _("超时%s") % span if seconds < 0 else _("剩余%s") % span
    return {
        "text": text,
        "overdue": seconds < 0,
        "soon": 0 <= seconds < SOON_SECONDS,
        "closed": False,
        "seconds": seconds,
    }
