"""考核指标: the figures of a unit over a period, each computed in the database.

A unit's orders are those lying under it (by place) or assigned under it (a department).
Over the period [start, end):

- reports (上报数): submissions received from under the unit;
- opened (立案前的新工单): orders created;
- closed (结案数): orders that reached 结案/完成 in the period;
- 应结案数: orders created in the period, less 不予立案 and 已合并; 缓办数: of those, 挂起 now;
  结案率 = of those, the ones done ÷ (应结案数 − 缓办数);
- 处置数: 处置完成 steps in the period; 按期处置数: those taken before the deadline then in force;
  应处置数 = 处置数 + orders still waiting for 处置 whose deadline passed within the period;
  按期处置率 = 按期处置数 ÷ 应处置数;
- 返工数: 退回返工 steps in the period; 返工率 = 返工数 ÷ 处置数;
- overdue_now: open orders past their deadline at `now`;
- avg_step_seconds: per state, the average time orders spent in it for steps taken in the
  period (people's steps only, not the system's);
- score = 按期处置率×60 + 结案率×30 + (1 − 返工率)×10.
Rates are None when their denominator is 0.
"""

from datetime import datetime

from django.db.models import Avg, Count, F, Q
from django.utils import timezone

from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import work_orders_under_q
from lightapps.submissions.models import Submission
from lightapps.submissions.selectors import reports_placed_under

from .models import WorkOrder, WorkOrderEvent

DONE_STATES = ("closed", "reviewed")
NOT_CASES = ("rejected", "merged")
WAITING_FOR_HANDLING = ("dispatched", "extension_requested")
HANDLE_ACTION = "handle"
REWORK_ACTION = "rework"  # 退回返工 after 核查


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator > 0 else None


def orders_of_unit(unit: OrgUnit):
    """Orders lying under the unit or assigned under it (work_orders_under_q)."""
    return WorkOrder.objects.filter(work_orders_under_q(unit.path))


def work_order_figures(
    *, unit: OrgUnit, start: datetime, end: datetime, now: datetime | None = None
) -> dict:
    """The figures of one unit over [start, end) (see the module docstring); four queries."""
    now = now or timezone.now()
    orders = orders_of_unit(unit)
    created = Q(created_at__gte=start, created_at__lt=end)
    cases = created & ~Q(state__in=NOT_CASES)
    o = orders.aggregate(
        opened=Count("pk", filter=created),
        closed=Count(
            "pk", filter=Q(state__in=DONE_STATES, closed_at__gte=start, closed_at__lt=end)
        ),
        due_cases=Count("pk", filter=cases),
        cases_done=Count("pk", filter=cases & Q(state__in=DONE_STATES)),
        deferred=Count("pk", filter=cases & Q(state="suspended")),
        unhandled_late=Count(
            "pk",
            filter=Q(
                state__in=WAITING_FOR_HANDLING,
                due_at__gte=start,
                due_at__lt=min(end, now),
            ),
        ),
        overdue_now=Count("pk", filter=Q(closed_at__isnull=True, due_at__lt=now)),
    )
    events = WorkOrderEvent.objects.filter(
        order__in=orders.values("pk"), created_at__gte=start, created_at__lt=end
    )
    e = events.aggregate(
        handled=Count("pk", filter=Q(action=HANDLE_ACTION)),
        handled_on_time=Count(
            "pk",
            filter=Q(action=HANDLE_ACTION)
            & (Q(due_at__isnull=True) | Q(created_at__lte=F("due_at"))),
        ),
        reworked=Count("pk", filter=Q(action=REWORK_ACTION)),
    )
    steps = (
        events.filter(actor__isnull=False, step_seconds__isnull=False)
        .exclude(from_state="")
        .values("from_state")
        .annotate(avg=Avg("step_seconds"), n=Count("pk"))
        .order_by("from_state")
    )
    reports = Submission.objects.filter(
        reports_placed_under(unit), received_at__gte=start, received_at__lt=end
    ).count()
    should_handle = e["handled"] + o["unhandled_late"]
    on_time_rate = _rate(e["handled_on_time"], should_handle)
    closure_rate = _rate(o["cases_done"], o["due_cases"] - o["deferred"])
    rework_rate = _rate(e["reworked"], e["handled"])
    score = None
    if on_time_rate is not None and closure_rate is not None:
        score = round(on_time_rate * 60 + closure_rate * 30 + (1 - (rework_rate or 0)) * 10, 2)
    return {
        "reports": reports,
        "opened": o["opened"],
        "closed": o["closed"],
        "due_cases": o["due_cases"],
        "deferred": o["deferred"],
        "cases_done": o["cases_done"],
        "handled": e["handled"],
        "handled_on_time": e["handled_on_time"],
        "should_handle": should_handle,
        "reworked": e["reworked"],
        "on_time_rate": on_time_rate,
        "closure_rate": closure_rate,
        "rework_rate": rework_rate,
        "overdue_now": o["overdue_now"],
        "avg_step_seconds": {row["from_state"]: round(row["avg"]) for row in steps},
        "score": score,
    }
