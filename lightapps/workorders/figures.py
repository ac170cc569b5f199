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

`work_order_figures_by_unit` computes them for many units at once, in the same few queries
for 3 or 14 streets: one grouped pass over the period's orders under any of the units, grouped
by their paths and given to the units in Python; and the reports and the steps — over whole
local days (the page's and the API's periods) from the days the database keeps (ReportDay,
StepDay: three queries in all), otherwise from the period's reports and steps themselves (and
the units' paths the steps are matched on: four). `work_order_figures` is that for one unit.
The trend per week or month is in `figures_trend`, the lists behind each number in
`figures_links`.
"""

from collections.abc import Iterable
from datetime import date, datetime, time
from types import SimpleNamespace

from django.db.models import Count, F, Q, Sum
from django.db.models.functions import TruncMonth, TruncWeek
from django.utils import timezone

from lightapps.definitions.flows import FLOW_TEMPLATES
from lightapps.orgs.models import OrgUnit
from lightapps.orgs.selectors import outermost_paths, unit_paths_under, work_orders_under_q
from lightapps.submissions.models import ReportDay, Submission
from lightapps.submissions.selectors import reports_placed_under

from .models import StepDay, WorkOrder, WorkOrderEvent

DONE_STATES = ("closed", "reviewed")
NOT_CASES = ("rejected", "merged")
WAITING_FOR_HANDLING = ("dispatched", "extension_requested")
HANDLE_ACTION = "handle"
REWORK_ACTION = "rework"  # 退回返工 after 核查
# Every state of every flow, in a fixed order: the states a step may start from.
STEP_STATES = tuple(dict.fromkeys(k for t in FLOW_TEMPLATES.values() for k in t["states"]))
# The trend's buckets: the local week (from Monday) or month of the moment a figure counts at.
TRENDS = {"week": TruncWeek, "month": TruncMonth}
# The score's weights: 按期处置率×60 + 结案率×30 + (1 − 返工率)×10.
SCORE_WEIGHTS = {"on_time": 60, "closure": 30, "no_rework": 10}


def _rate(numerator: int, denominator: int) -> float | None:
    return round(numerator / denominator, 4) if denominator > 0 else None


def orders_of_unit(unit: OrgUnit):
    """Orders lying under the unit or assigned under it (work_orders_under_q)."""
    return WorkOrder.objects.filter(work_orders_under_q(unit.path))


# -- the figures' filters, shared by the grouped query, the trend and the lists behind a number --


def created_q(start: datetime, end: datetime) -> Q:
    """上报/立案前的新工单: orders created in [start, end)."""
    return Q(created_at__gte=start, created_at__lt=end)


def cases_q(start: datetime, end: datetime) -> Q:
    """应结案: created in the period, less 不予立案 and 已合并."""
    return created_q(start, end) & ~Q(state__in=NOT_CASES)


def closed_q(start: datetime, end: datetime) -> Q:
    """结案数: orders that reached 结案/完成 in the period."""
    return Q(state__in=DONE_STATES, closed_at__gte=start, closed_at__lt=end)


def unhandled_late_q(start: datetime, end: datetime, now: datetime) -> Q:
    """Orders still waiting for 处置 whose deadline passed within the period (before now)."""
    return Q(state__in=WAITING_FOR_HANDLING, due_at__gte=start, due_at__lt=min(end, now))


def overdue_now_q(now: datetime) -> Q:
    return Q(closed_at__isnull=True, due_at__lt=now)


def on_time_q() -> Q:
    """A step taken before the deadline then in force (or with none)."""
    return Q(due_at__isnull=True) | Q(created_at__lte=F("due_at"))


STEP_FILTERS = {
    "handle": Q(action=HANDLE_ACTION),
    "handle_on_time": Q(action=HANDLE_ACTION) & on_time_q(),
    "rework": Q(action=REWORK_ACTION),
}


# -- the grouped passes ---------------------------------------------------------------------------

ORDER_COUNTS = ("opened", "closed", "due_cases", "cases_done", "deferred", "unhandled_late",
                "overdue_now")  # fmt: skip
STEP_COUNTS = ("handled", "handled_on_time", "reworked")
# What a step adds to its units' figures (StepDay's columns; step_days.py spells them in SQL).
STEP_MEASURES = (*STEP_COUNTS, "steps", "seconds")


def _order_filters(*, start: datetime, end: datetime, now: datetime) -> dict[str, Q]:
    cases = cases_q(start, end)
    return {
        "opened": created_q(start, end),
        "closed": closed_q(start, end),
        "due_cases": cases,
        "cases_done": cases & Q(state__in=DONE_STATES),
        "deferred": cases & Q(state="suspended"),
        "unhandled_late": unhandled_late_q(start, end, now),
        "overdue_now": overdue_now_q(now),
    }


def _under_any(units: list[OrgUnit], *, prefix: str = "") -> Q:
    """Orders under any of the units (work_orders_under_q), one condition per outermost path."""
    under = Q(pk__in=[])
    for path in outermost_paths(u.path for u in units):
        under |= work_orders_under_q(path, prefix=prefix)
    return under


def units_holding(units: list[OrgUnit]):
    """A function giving, for a row's paths, the ids of the units among `units` whose subtree
    holds one of them — each unit once, as work_orders_under_q counts an order: by looking up
    the paths' ancestors (their prefixes up to each "/"), so a row costs its depth, not the
    number of units."""
    by_path = {u.path: u.pk for u in units}

    def holding(paths) -> set[int]:
        found = set()
        for path in paths:
            end = path.find("/") if path else -1
            while end != -1:
                unit = by_path.get(path[: end + 1])
                if unit is not None:
                    found.add(unit)
                end = path.find("/", end + 1)
        return found

    return holding


def _with_units(units: list[OrgUnit], rows, paths) -> list[dict]:
    """The rows, each with the ids of the units (among `units`) whose subtree holds one of its
    paths (`paths(row)`) as `units`: each unit once, as work_orders_under_q counts an order."""
    holding = units_holding(list(units))
    rows = list(rows)
    for row in rows:
        row["units"] = holding(paths(row))
    return rows


def _handed_to_units(units: list[OrgUnit], rows, names) -> dict[int, dict]:
    """Per unit id, the sums of `names` over the rows that count for it (their `units`)."""
    found = {u.pk: dict.fromkeys(names, 0) for u in units}
    for row in rows:
        for unit in row["units"] & found.keys():
            into = found[unit]
            for name in names:
                into[name] += row[name]
    return found


def _order_figures(units, *, start, end, now, app) -> dict[int, dict]:
    """Per unit id, the orders' counts, from one grouped pass over the orders under any of the
    units that any figure counts (created or closed in the period, late, overdue now), grouped
    by their two paths. A correlated subquery per figure and unit could not use the paths'
    indexes (the pattern came from the outer row) and read the period's orders each time."""
    filters = _order_filters(start=start, end=end, now=now)
    any_figure = Q(pk__in=[])
    for name in ("opened", "closed", "unhandled_late", "overdue_now"):
        any_figure |= filters[name]  # the others are parts of `opened`
    orders = WorkOrder.objects.filter(_under_any(units), any_figure)
    if app:
        orders = orders.filter(app__key=app)
    rows = (
        orders.order_by()
        .values("org_path", "assignee_path")
        .annotate(**{name: Count("pk", filter=q) for name, q in filters.items()})
    )
    return _handed_to_units(units, _with_units(units, rows, step_paths), ORDER_COUNTS)


def bucket_day(moment, tz) -> date:
    """The local first day of the week or month a truncated moment (TRENDS) stands for."""
    if isinstance(moment, datetime):
        return timezone.localtime(moment, tz).date() if timezone.is_aware(moment) else moment.date()
    return moment


def _bucketed(rows, by: str) -> list[dict]:
    """The rows, with their `_bucket` as a local day (when grouped `by` week or month)."""
    rows = list(rows)
    if by:
        tz = timezone.get_current_timezone()
        for row in rows:
            row["_bucket"] = bucket_day(row["_bucket"], tz)
    return rows


def _by_bucket(qs, field: str, by: str):
    """The queryset with the week or month of `field` (local time; a day is local already) to
    group by, when `by`."""
    if not by:
        return qs
    if field == "day":
        return qs.annotate(_bucket=TRENDS[by](field))
    return qs.annotate(_bucket=TRENDS[by](field, tzinfo=timezone.get_current_timezone()))


def report_rows(units, *, start, end, app, by: str = "", days: bool = True) -> list[dict]:
    """上报数: one grouped pass over the period's reports placed under any of the units
    (reports_placed_under), by place — and by week or month with `by`. Over whole local days
    (`days`, the figures page's periods) from the reports' days (ReportDay, kept by the
    database: a row per place, day and app); otherwise from the place's covering index."""
    under = Q(pk__in=[])
    for path in outermost_paths(u.path for u in units):
        under |= reports_placed_under(SimpleNamespace(path=path))
    period = whole_days(start, end) if days else None
    if period is not None:
        reports = ReportDay.objects.filter(under, day__gte=period[0], day__lt=period[1])
        counted, at = Sum("n"), "day"
    else:
        reports = Submission.objects.filter(under, received_at__gte=start, received_at__lt=end)
        counted, at = Count("place_path"), "received_at"
    if app:
        reports = reports.filter(app__key=app)
    keys = ("place_path", "_bucket") if by else ("place_path",)
    rows = _by_bucket(reports.order_by(), at, by).values(*keys).annotate(reports=counted)
    return _with_units(units, _bucketed(rows, by), report_paths)


def steps_under(paths: Iterable[str], *, start: datetime, end: datetime, app: str) -> list:
    """The steps taken in [start, end) of the orders under any of `paths` (work_orders_under_q's
    rule, on the copies of the order's paths each step carries), as two disjoint querysets to be
    grouped each and added up: those whose place lies under a path, and those assigned under one
    whose place does not. Each is read from its own (path, time) index (workorders.0013), one
    range per unit's path (unit_paths_under) — a unit's steps of a month, not its steps ever
    nor the city's steps of the month (the join to the orders read both)."""
    exact = unit_paths_under(paths)
    events = WorkOrderEvent.objects.filter(created_at__gte=start, created_at__lt=end)
    if app:
        events = events.filter(app__key=app)
    placed = Q(org_path__in=exact)
    return [events.filter(placed), events.filter(Q(assignee_path__in=exact) & ~placed)]


def step_figures_query(units, *, start: datetime, end: datetime, app: str, by: str = ""):
    """The grouped pass behind step_rows: steps_under's two parts, each grouped by the order's
    two paths and the state left (and the week or month with `by`), in one UNION ALL."""
    step = Q(actor__isnull=False, step_seconds__isnull=False) & ~Q(from_state="")
    keys = ("org_path", "assignee_path", "from_state") + (("_bucket",) if by else ())
    placed, assigned = (
        _by_bucket(part.order_by(), "created_at", by)
        .values(*keys)
        .annotate(
            # of created_at (never null), not of the id, which the indexes do not carry: so the
            # pass is read from them alone (Django allows no COUNT(*) with a filter)
            handled=Count("created_at", filter=STEP_FILTERS["handle"]),
            handled_on_time=Count("created_at", filter=STEP_FILTERS["handle_on_time"]),
            reworked=Count("created_at", filter=STEP_FILTERS["rework"]),
            steps=Count("created_at", filter=step),
            seconds=Sum("step_seconds", filter=step),
        )
        for part in steps_under((u.path for u in units), start=start, end=end, app=app)
    )
    return placed.union(assigned, all=True)


def whole_days(start: datetime, end: datetime) -> tuple[date, date] | None:
    """The local days [first, last) when the period starts and ends at local midnights."""
    first, last = timezone.localtime(start), timezone.localtime(end)
    if first.time() == last.time() == time.min:
        return first.date(), last.date()
    return None


def step_day_rows(units, *, days: tuple[date, date], app: str, by: str = "") -> list[dict]:
    """The steps' counts from the steps' days (StepDay, kept by the database): per unit and
    state left (and week or month with `by`), a row per day, app and state added up — whatever
    the number of steps."""
    rows = StepDay.objects.filter(
        unit_id__in=[u.pk for u in units], day__gte=days[0], day__lt=days[1]
    )
    if app:
        rows = rows.filter(app__key=app)
    keys = ["unit_id", "from_state"]
    if by:
        rows = _by_bucket(rows, "day", by)
        keys.append("_bucket")
    found = list(rows.order_by().values(*keys).annotate(**{m: Sum(m) for m in STEP_MEASURES}))
    for row in found:
        row["units"] = {row["unit_id"]}
    return found


def step_rows(
    units, *, start: datetime, end: datetime, app: str, by: str = "", days: bool = True
) -> list[dict]:
    """处置数, 按期处置数, 返工数 and each state's (seconds, steps), each row with the ids of the
    units (among `units`) it counts for (`units`). Over whole local days (`days`, the figures
    page's periods) from the steps' days; otherwise one grouped pass over the period's steps
    of the orders under any of the units (step_figures_query). A correlated subquery per figure
    and unit read the period's steps some thirteen times per unit."""
    period = whole_days(start, end) if days else None
    if period is not None:
        return step_day_rows(units, days=period, app=app, by=by)
    rows = _bucketed(step_figures_query(units, start=start, end=end, app=app, by=by), by)
    return _with_units(units, rows, step_paths)


def step_paths(row) -> tuple[str, str]:
    """An order's two paths (or a step's copies of them)."""
    return row["org_path"], row["assignee_path"]


def report_paths(row) -> tuple[str]:
    return (row["place_path"],)


def _step_figures(units: list[OrgUnit], rows: list[dict]) -> dict:
    """Per unit id, the steps' counts and each state's (seconds, steps), from step_rows: each
    row given to the units it counts for."""
    found = _handed_to_units(units, rows, STEP_COUNTS)
    for into in found.values():
        into["steps"] = {}
    for row in rows:
        if not row["steps"]:
            continue
        for unit in row["units"] & found.keys():
            into = found[unit]["steps"]
            seconds, steps = into.get(row["from_state"], (0, 0))
            into[row["from_state"]] = (seconds + row["seconds"], steps + row["steps"])
    return found


def figures_from_counts(c: dict) -> dict:
    """The figures (rates, score and its parts) from the counts they are made of."""
    should_handle = c["handled"] + c["unhandled_late"]
    on_time_rate = _rate(c["handled_on_time"], should_handle)
    closure_rate = _rate(c["cases_done"], c["due_cases"] - c["deferred"])
    rework_rate = _rate(c["reworked"], c["handled"])
    score, parts = None, None
    if on_time_rate is not None and closure_rate is not None:
        parts = {
            "on_time": round(on_time_rate * SCORE_WEIGHTS["on_time"], 2),
            "closure": round(closure_rate * SCORE_WEIGHTS["closure"], 2),
            "no_rework": round((1 - (rework_rate or 0)) * SCORE_WEIGHTS["no_rework"], 2),
        }
        score = round(on_time_rate * 60 + closure_rate * 30 + (1 - (rework_rate or 0)) * 10, 2)
    return {
        "reports": c["reports"],
        "opened": c["opened"],
        "closed": c["closed"],
        "due_cases": c["due_cases"],
        "deferred": c["deferred"],
        "cases_done": c["cases_done"],
        "handled": c["handled"],
        "handled_on_time": c["handled_on_time"],
        "unhandled_late": c["unhandled_late"],
        "should_handle": should_handle,
        "reworked": c["reworked"],
        "on_time_rate": on_time_rate,
        "closure_rate": closure_rate,
        "rework_rate": rework_rate,
        "overdue_now": c["overdue_now"],
        "score": score,
        "score_parts": parts,
    }


def figures_with_rows(
    *,
    units: Iterable[OrgUnit],
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    app: str = "",
    by: str = "",
) -> tuple[dict[int, dict], dict[str, list[dict]]]:
    """work_order_figures_by_unit, and the reports' and steps' rows it was made of
    ({"reports": …, "steps": …}). With `by` (week, month) those rows are grouped by the week or
    month they fall in too, so that the trend of one of the units takes its reports and steps
    from them (work_order_figures_trend(rows=…)) instead of reading them again."""
    now = now or timezone.now()
    units = list(units)
    if not units:
        return {}, {"reports": [], "steps": []}
    orders = _order_figures(units, start=start, end=end, now=now, app=app)
    rows = {
        "reports": report_rows(units, start=start, end=end, app=app, by=by),
        "steps": step_rows(units, start=start, end=end, app=app, by=by),
    }
    reports = _handed_to_units(units, rows["reports"], ("reports",))
    steps = _step_figures(units, rows["steps"])
    found = {}
    for unit in units:
        counted = steps[unit.pk]
        counts = {**orders[unit.pk], **reports[unit.pk]}
        counts.update({k: counted[k] for k in STEP_COUNTS})
        figures = figures_from_counts(counts)
        figures["avg_step_seconds"] = {
            state: round(seconds / n)
            for state, (seconds, n) in sorted(counted["steps"].items())
            if state in STEP_STATES
        }
        found[unit.pk] = figures
    return found, rows


def work_order_figures_by_unit(
    *,
    units: Iterable[OrgUnit],
    start: datetime,
    end: datetime,
    now: datetime | None = None,
    app: str = "",
) -> dict[int, dict]:
    """The figures of each unit over [start, end), keyed by unit id: three or four queries for
    any number of units (the module docstring defines each figure and says which). `app`
    narrows to one light app's key."""
    window = {"start": start, "end": end, "now": now, "app": app}
    return figures_with_rows(units=units, **window)[0]


def work_order_figures(
    *, unit: OrgUnit, start: datetime, end: datetime, now: datetime | None = None, app: str = ""
) -> dict:
    """The figures of one unit over [start, end): the grouped query for a single unit."""
    return work_order_figures_by_unit(units=[unit], start=start, end=end, now=now, app=app)[unit.pk]
