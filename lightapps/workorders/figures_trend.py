"""考核趋势: a unit's figures per week or per month, grouped in the database.

Each bucket holds exactly the figures of `work_order_figures` over that week or month, clipped to
the period: the same filters (figures.py), grouped by the local week or month (TIME_ZONE, Asia/
Shanghai) of the instant each figure is counted at — created_at for new orders and cases,
closed_at for 结案, the deadline for orders left unhandled, the step's time for 处置 and 返工.
Six queries, whatever the number of buckets.
"""

from datetime import date, datetime, timedelta
from types import SimpleNamespace

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from lightapps.orgs.models import OrgUnit
from lightapps.submissions.models import Submission
from lightapps.submissions.selectors import reports_placed_under

from .figures import (
    DONE_STATES,
    NOT_CASES,
    STEP_FILTERS,
    closed_q,
    created_q,
    figures_from_counts,
    orders_of_unit,
    steps_under,
    unhandled_late_q,
)

TRENDS = {"week": TruncWeek, "month": TruncMonth}
COUNTS = (
    "reports", "opened", "closed", "due_cases", "cases_done", "deferred", "unhandled_late",
    "overdue_now", "handled", "handled_on_time", "reworked",
)  # fmt: skip


def bucket_start(day: date, by: str) -> date:
    """The first day of the week (Monday) or month holding a local day."""
    if by == "week":
        return day - timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_bucket(day: date, by: str) -> date:
    if by == "week":
        return day + timedelta(days=7)
    return (day.replace(day=28) + timedelta(days=4)).replace(day=1)


def _grouped(qs, field: str, by: str, **counts) -> dict[date, dict]:
    """The counts per bucket of `field` over a queryset, or over a list of disjoint ones added
    up (one UNION ALL of their grouped passes)."""
    tz = timezone.get_current_timezone()
    parts = [
        part.order_by()
        .annotate(_bucket=TRENDS[by](field, tzinfo=tz))
        .values("_bucket")
        .annotate(**counts)
        for part in (qs if isinstance(qs, list) else [qs])
    ]
    rows = parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]
    found: dict[date, dict] = {}
    for row in rows:
        moment = row.pop("_bucket")
        day = moment.date() if isinstance(moment, datetime) else moment
        if isinstance(moment, datetime) and timezone.is_aware(moment):
            day = timezone.localtime(moment, tz).date()
        into = found.setdefault(day, dict.fromkeys(row, 0))
        for name, value in row.items():
            into[name] += value or 0
    return found


def work_order_figures_trend(
    *,
    unit: OrgUnit,
    start: datetime,
    end: datetime,
    by: str = "month",
    now: datetime | None = None,
    app: str = "",
) -> list[dict]:
    """[{"start": date, "figures": {...}}] for each week or month touching [start, end), oldest
    first; a bucket's figures are those of the part of the period inside it."""
    now = now or timezone.now()
    orders = orders_of_unit(unit)
    steps = steps_under([unit.path], start=start, end=end, app=app)
    reports = Submission.objects.filter(
        reports_placed_under(SimpleNamespace(path=unit.path)),
        received_at__gte=start,
        received_at__lt=end,
    )
    if app:
        orders = orders.filter(app__key=app)
        reports = reports.filter(app__key=app)
    not_case = Q(state__in=NOT_CASES)
    parts = [
        _grouped(
            orders.filter(created_q(start, end)),
            "created_at",
            by,
            opened=Count("pk"),
            due_cases=Count("pk", filter=~not_case),
            cases_done=Count("pk", filter=~not_case & Q(state__in=DONE_STATES)),
            deferred=Count("pk", filter=Q(state="suspended")),
        ),
        _grouped(orders.filter(closed_q(start, end)), "closed_at", by, closed=Count("pk")),
        _grouped(
            orders.filter(unhandled_late_q(start, end, now)),
            "due_at",
            by,
            unhandled_late=Count("pk"),
        ),
        _grouped(
            steps,
            "created_at",
            by,
            handled=Count("pk", filter=STEP_FILTERS["handle"]),
            handled_on_time=Count("pk", filter=STEP_FILTERS["handle_on_time"]),
            reworked=Count("pk", filter=STEP_FILTERS["rework"]),
        ),
        _grouped(reports, "received_at", by, reports=Count("pk")),
    ]
    first = bucket_start(timezone.localtime(start).date(), by)
    last = timezone.localtime(end - timedelta(microseconds=1)).date()
    trend, day = [], first
    while day <= last:
        counts = dict.fromkeys(COUNTS, 0)
        for part in parts:
            counts.update(part.get(day, {}))
        figures = figures_from_counts(counts)
        figures.pop("overdue_now")  # a figure of now, not of a week or a month
        trend.append({"start": day, "figures": figures})
        day = _next_bucket(day, by)
    return trend
