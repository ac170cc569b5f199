"""考核趋势: a unit's figures per week or per month, grouped in the database.

Each bucket holds exactly the figures of `work_order_figures` over that week or month, clipped to
the period: the same filters (figures.py), grouped by the local week or month (TIME_ZONE, Asia/
Shanghai) of the instant each figure is counted at — created_at for new orders and cases,
closed_at for 结案, the deadline for orders left unhandled, the step's time for 处置 and 返工.
Five or six queries (figures.py says when), whatever the number of buckets; three when the
figures page hands it the reports' and steps' rows its figures were made of (figures_with_rows).
"""

from datetime import date, datetime, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from lightapps.orgs.models import OrgUnit

from .figures import (
    DONE_STATES,
    NOT_CASES,
    STEP_COUNTS,
    TRENDS,
    bucket_day,
    closed_q,
    created_q,
    figures_from_counts,
    orders_of_unit,
    report_rows,
    step_rows,
    unhandled_late_q,
)

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
    """The counts per bucket of `field` over a queryset."""
    tz = timezone.get_current_timezone()
    rows = (
        qs.order_by()
        .annotate(_bucket=TRENDS[by](field, tzinfo=tz))
        .values("_bucket")
        .annotate(**counts)
    )
    return {bucket_day(row.pop("_bucket"), tz): row for row in rows}


def _rows_by_bucket(rows: list[dict], unit: OrgUnit, names) -> dict[date, dict]:
    """The sums of `names` per bucket over the rows (figures' report_rows, step_rows grouped by
    bucket) that count for the unit (their `units`)."""
    found: dict[date, dict] = {}
    for row in rows:
        if unit.pk in row["units"]:
            into = found.setdefault(row["_bucket"], dict.fromkeys(names, 0))
            for name in names:
                into[name] += row[name]
    return found


def work_order_figures_trend(
    *,
    unit: OrgUnit,
    start: datetime,
    end: datetime,
    by: str = "month",
    now: datetime | None = None,
    app: str = "",
    rows: dict[str, list[dict]] | None = None,
) -> list[dict]:
    """[{"start": date, "figures": {...}}] for each week or month touching [start, end), oldest
    first; a bucket's figures are those of the part of the period inside it. `rows`: the reports'
    and steps' rows of figures_with_rows for the same period, app and `by` over units including
    this one (the figures page has them), which spares reading those again."""
    now = now or timezone.now()
    window = {"start": start, "end": end, "app": app, "by": by}
    if rows is None:
        rows = {
            "reports": report_rows([unit], **window),
            "steps": step_rows([unit], **window),
        }
    orders = orders_of_unit(unit)
    if app:
        orders = orders.filter(app__key=app)
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
        _rows_by_bucket(rows["steps"], unit, STEP_COUNTS),
        _rows_by_bucket(rows["reports"], unit, ("reports",)),
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
