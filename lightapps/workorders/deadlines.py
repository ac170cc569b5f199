"""办理时限: a state's deadline, the time left on it, and when it is due soon.

Each of these is written once here: the transition service sets deadlines with
`deadline_for_step`, the escalation pass and every face read the time left with `seconds_left`
and `is_due_soon`, and the phone, the console and the API show it through `work_order_time_left`.
"""

import math
from datetime import datetime, timedelta

from django.utils import timezone
from django.utils.translation import gettext as _

from lightapps.definitions.flows import flow_is_urgent, flow_template, state_label, state_limit

from .models import WorkOrder
from .worktime import (
    HOURS_PER_WORKDAY,
    add_working_seconds,
    counts_working_time,
    deadline,
    working_seconds_between,
)

# Under this much time left (working time on a working clock) an open order is 即将超时.
DUE_SOON_SECONDS = 4 * 3600


def clock_for(flow: dict, state: str) -> tuple[dict | None, str]:
    """The limit of a state and the clock it counts on ("work" or "calendar")."""
    limit = state_limit(flow, state)
    if not isinstance(limit, dict):
        return None, "work"
    urgent = flow_is_urgent(flow)
    return limit, ("work" if counts_working_time(limit, urgent=urgent) else "calendar")


def seconds_left(order: WorkOrder, *, now: datetime) -> int:
    """Seconds until the order's due_at on its own clock; negative once past it.

    On a working clock an order past due outside working hours has no working second left and
    none gone by yet: it reads as -1 (overdue), not 0.
    """
    if order.clock == "work":
        seconds = working_seconds_between(now, order.due_at)
        if seconds == 0 and order.due_at < now:
            return -1
        return seconds
    return math.floor((order.due_at - now).total_seconds())


def is_due_soon(seconds: float) -> bool:
    """即将超时: still on time, with under DUE_SOON_SECONDS left."""
    return 0 <= seconds < DUE_SOON_SECONDS


def _add(clock: str, start: datetime, seconds: int) -> datetime:
    if clock == "work":
        return add_working_seconds(start, max(seconds, 0))
    return start + timedelta(seconds=seconds)


def deadline_for_step(
    order: WorkOrder, *, flow: dict, template: dict, transition: dict, now: datetime
) -> list[str]:
    """Set due_at/clock/paused_seconds for the state the order enters. Returns changed fields."""
    from_info = template["states"][transition["from"]]
    to_state = transition["to"]
    to_info = template["states"][to_state]
    if to_info.get("final"):
        return []
    if to_info.get("paused"):
        # 挂起: stop the clock, keep what was left.
        order.paused_seconds = seconds_left(order, now=now) if order.due_at else None
        order.due_at = None
        return ["paused_seconds", "due_at"]
    if from_info.get("paused"):
        # 恢复: restart the clock with what was left.
        if order.paused_seconds is not None:
            order.due_at = _add(order.clock, now, order.paused_seconds)
        order.paused_seconds = None
        return ["paused_seconds", "due_at"]
    if transition["action"] == "approve_extension":
        requested = (
            order.events.filter(action="request_extension")
            .order_by("-id")
            .values_list("data", flat=True)
            .first()
        ) or {}
        ext = requested.get("extension")
        if ext and order.due_at:
            order.due_at = deadline(order.due_at, ext, urgent=order.clock == "calendar")
        return ["due_at"]
    limit = state_limit(flow, to_state)
    if limit == "keep" or transition["from"] == to_state or from_info.get("limit") == "keep":
        return []  # 改派, 延期审批: the clock goes on
    if not isinstance(limit, dict):
        order.due_at = None
        return ["due_at"]
    # The clock starts afresh when a timed state is entered: 派遣, 返工, 处置完成 (核查时限)…
    limit, clock = clock_for(flow, to_state)
    order.clock = clock
    order.due_at = deadline(now, limit, urgent=flow_is_urgent(flow))
    return ["clock", "due_at"]


def _span(seconds: int, *, working: bool) -> str:
    """A duration in its two largest units: on a working clock in 工作日 (8 working hours),
    e.g. "2工作日3小时", "5工时10分"; on a calendar clock e.g. "2天3小时", "5小时10分"; "1分钟".

    Written tight on purpose: the console's 剩余时间 column has room for about eight characters.
    """
    minutes = seconds // 60
    days, minutes = divmod(minutes, (HOURS_PER_WORKDAY if working else 24) * 60)
    hours, minutes = divmod(minutes, 60)
    if working:
        day_hours, day, hour_minutes, hour = (
            _("%(d)d工作日%(h)d小时"), _("%d工作日"), _("%(h)d工时%(m)d分"), _("%d工时"),
        )  # fmt: skip
    else:
        day_hours, day, hour_minutes, hour = (
            _("%(d)d天%(h)d小时"), _("%d天"), _("%(h)d小时%(m)d分"), _("%d小时"),
        )  # fmt: skip
    if days:
        return day_hours % {"d": days, "h": hours} if hours else day % days
    if hours:
        return hour_minutes % {"h": hours, "m": minutes} if minutes else hour % hours
    return _("%d分钟") % max(minutes, 1)


def work_order_time_left(order: WorkOrder, *, now: datetime | None = None) -> dict | None:
    """剩余时间 of an order: working time left until due_at, how long overdue, or closed.

    Returns {"text", "overdue", "soon", "closed", "seconds", "working"}: `seconds` until due_at
    (negative once overdue, None when closed), counted in working time (工作时: workdays
    09:00–17:00 with holidays and 调休) unless the order's clock is calendar time (紧急);
    `soon` is under DUE_SOON_SECONDS left. A closed order (a final state of its flow) says
    which final state, e.g. "已结案"; a suspended one says so. None: open without a deadline.
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
    seconds = seconds_left(order, now=now)
    span = _span(abs(seconds), working=working)
    text = _("超时%s") % span if seconds < 0 else _("剩余%s") % span
    if working and -60 < seconds < 0:
        text = _("已超时")  # past due outside working hours: no working minute has gone by yet
    return {
        "text": text,
        "overdue": seconds < 0,
        "soon": is_due_soon(seconds),
        "closed": False,
        "seconds": seconds,
        "working": working,
    }
