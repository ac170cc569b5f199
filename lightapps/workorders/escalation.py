"""超时督办: mark orders near or past their deadline and escalate the overdue ones.

Run by Celery beat (`work_orders_escalate`, every minute) or, on the embedded default, by
`manage.py escalation_loop` that `make run` starts beside the web server.

Idempotent: each order carries the deadline its 即将超时 (`due_soon_for`) and 已超时
(`overdue_for`) steps were written for, and a step is written only by the one conditional
UPDATE that moves that marker, so a second run, or two runs at once, write nothing twice.
A new deadline (返工, 延期, 恢复) arms both again. Bounded: orders are read in pages by id,
`batch` at a time, never all at once.
"""

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .deadlines import is_due_soon, seconds_left
from .models import WorkOrder
from .services import system_event

# A calendar window wide enough to hold four working hours across the longest holiday.
LOOKAHEAD = timedelta(days=14)
BATCH = 200


def _needs_mark(now: datetime) -> Q:
    overdue = Q(due_at__lte=now) & (Q(overdue_for__isnull=True) | ~Q(overdue_for=F("due_at")))
    soon = Q(due_at__gt=now) & (Q(due_soon_for__isnull=True) | ~Q(due_soon_for=F("due_at")))
    return overdue | soon


def _unit_above(order: WorkOrder):
    unit = order.assignee_unit or order.org_unit
    return unit.parent or unit


@transaction.atomic
def _mark_overdue(order: WorkOrder) -> bool:
    above = _unit_above(order)
    moved = (
        WorkOrder.objects.filter(pk=order.pk, due_at=order.due_at, closed_at__isnull=True)
        .filter(Q(overdue_for__isnull=True) | ~Q(overdue_for=F("due_at")))
        .update(overdue_for=order.due_at, due_soon_for=order.due_at, escalated_to=above)
    )
    if not moved:
        return False
    fresh = WorkOrder.objects.select_related("assignee_unit").get(pk=order.pk)
    system_event(order=fresh, action="overdue", data={"due_at": order.due_at.isoformat()})
    # The step names the late unit (like every step, assignee_unit); the supervisors to tell are
    # those of the unit above it, recorded as to_unit and on the order as escalated_to.
    system_event(
        order=fresh,
        action="escalate",
        data={"to_unit": above.pk, "from_unit": fresh.assignee_unit_id},
    )
    return True


@transaction.atomic
def _mark_due_soon(order: WorkOrder, seconds_left: float) -> bool:
    moved = (
        WorkOrder.objects.filter(pk=order.pk, due_at=order.due_at, closed_at__isnull=True)
        .filter(Q(due_soon_for__isnull=True) | ~Q(due_soon_for=F("due_at")))
        .update(due_soon_for=order.due_at)
    )
    if not moved:
        return False
    fresh = WorkOrder.objects.select_related("assignee_unit").get(pk=order.pk)
    system_event(
        order=fresh,
        action="due_soon",
        data={"due_at": order.due_at.isoformat(), "seconds_left": int(seconds_left)},
    )
    return True


def work_orders_escalate(*, now: datetime | None = None, batch: int = BATCH) -> dict[str, int]:
    """One pass over the open orders near or past their deadline; returns the steps written."""
    now = now or timezone.now()
    written = {"due_soon": 0, "overdue": 0, "escalate": 0}
    candidates = (
        WorkOrder.objects.filter(
            closed_at__isnull=True, due_at__isnull=False, due_at__lte=now + LOOKAHEAD
        )
        .filter(_needs_mark(now))
        .select_related("assignee_unit__parent", "org_unit__parent")
        .order_by("pk")
    )
    last = 0
    while True:
        page = list(candidates.filter(pk__gt=last)[:batch])
        if not page:
            break
        for order in page:
            if order.due_at <= now:
                if _mark_overdue(order):
                    written["overdue"] += 1
                    written["escalate"] += 1
            else:
                left = seconds_left(order, now=now)
                if is_due_soon(left) and _mark_due_soon(order, left):
                    written["due_soon"] += 1
        last = page[-1].pk
    return written
