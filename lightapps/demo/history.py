"""演示历史: five months of work orders across six streets, replayed through the real services.

`seed_demo_history()` (`seed_demo --records`, as `make run`) gives the demo district a past: orders
closed on time and late, reworked (退回返工), extended (延期), suspended (挂起), sent back and
reassigned, refused (不予立案), and orders still open at every state now — waiting for 立案, 派遣,
处置 (some due soon, some overdue), 延期审批, 核查, 结案, or suspended. So the console's lists,
timelines and figures (按期处置率、结案率、返工率) have something true to show.

How: every order is a plan of steps at moments in the past. All plans and the escalation pass
(three times a working day) run in one time line, earliest first; each step runs with the clock
set to its moment (`clock.clock_at`) through the same services the faces call
(`report_submit`, `work_order_transition`, `work_orders_escalate`), so every row is what they
write at that moment, `created_at` included, and a plan's steps are in the order the flow allows.

Side effects: the history's steps are written inside `relay.effects_withheld()`: their outbox
marks are set done and nothing is enqueued, so nobody gets a WeCom message, webhook or live
update about a step taken months ago — neither now nor from a later outbox sweep. (On the
embedded default the fan-out would only record skipped messages; with WeCom or a webhook
configured, e.g. `SEED_DEMO=1 make serve`, it would send hundreds.) Steps from now on, the
escalation loop's included, are told as usual.

Deterministic: plans come from a fixed random seed, and whether a step is on time or late is
planned against its deadline (in working time), not left to the calendar; only the dates move
with the day the seed runs. Idempotent: each plan's submission id is derived from its number,
plans already stored are skipped, and a run with nothing new replays nothing (not even the
escalation pass).
"""

import functools
import heapq
import itertools
import random
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.db import transaction
from django.utils import timezone

from lightapps.definitions.models import LightApp
from lightapps.definitions.selectors import latest_version
from lightapps.orgs.models import OrgUnit, Person
from lightapps.submissions.models import Submission
from lightapps.workorders.deadlines import clock_for
from lightapps.workorders.escalation import work_orders_escalate
from lightapps.workorders.models import WorkOrder
from lightapps.workorders.opening import report_submit
from lightapps.workorders.relay import effects_withheld
from lightapps.workorders.services import work_order_transition
from lightapps.workorders.worktime import (
    DAY_END,
    DAY_START,
    SHANGHAI,
    add_working_seconds,
    is_workday,
    limit_seconds,
    working_seconds_between,
)

from .clock import clock_at
from .history_forms import ANSWERS, HANDLE_NOTES, NOTES, photo, point_in
from .org_tree import HISTORY_PEOPLE, seed_people
from .samples import demo_app, sample_data

NAMESPACE = uuid.UUID("0f3c2a9e-6d1b-4f57-8e2a-7c4d9b1e5a60")
SEED = 20261122
HISTORY_DAYS = 150
# Orders of the past are reported at least this long ago, so that they are done by now.
SETTLED_DAYS = 25
# The escalation pass of the history: at these local times of every workday (beat runs it every
# minute; twice a workday is enough for 即将超时 / 已超时 marks and keeps the seed fast).
TICKS = (time(9, 0), time(14, 0))

# Street code → (weight, grid workers, dispatcher, handler, supervisor, roads).
STREETS = {
    "310106-01": (5, ("jny_grid", "jny_grid2"), "jny_dispatcher", "jny_handler", "jny_supervisor",
                  ("江宁路", "康定路", "昌平路", "西康路", "武定路", "余姚路")),
    "310106-02": (4, ("smr_grid",), "smr_dispatcher", "smr_handler", "smr_supervisor",
                  ("石门二路", "新闸路", "山海关路", "大田路", "北京西路")),
    "310106-03": (3, ("njxl_grid",), "njxl_dispatcher", "njxl_handler", "njxl_supervisor",
                  ("南京西路", "威海路", "吴江路", "茂名北路", "陕西北路")),
    "310106-04": (3, ("jas_grid",), "jas_dispatcher", "jas_handler", "jas_supervisor",
                  ("愚园路", "华山路", "常德路", "延安中路", "乌鲁木齐北路")),
    "310106-05": (3, ("cjd_grid",), "cjd_dispatcher", "cjd_handler", "cjd_supervisor",
                  ("长寿路", "万航渡路", "武宁南路", "长宁支路", "安远路")),
    "310106-06": (2, ("tmxl_grid",), "tmxl_dispatcher", "tmxl_handler", "tmxl_supervisor",
                  ("天目西路", "恒丰路", "大统路", "长安路", "交通路")),
}  # fmt: skip
DEPARTMENT_HANDLERS = {"310106-D-FGJ": "fgj_handler", "310106-D-CGZF": "cgzf_handler"}

# What happened to the orders of the past, and how many of each.
PAST = {
    "on_time": 76,  # 立案, 派遣, 处置 before the deadline, 核查, 结案
    "late": 10,  # 处置 after the deadline (marked 已超时 and escalated on the way)
    "rework": 9,  # 核查 found it not done: 退回返工, handled again, closed
    "extended": 6,  # 申请延期 approved, handled within the longer limit
    "extension_refused": 2,  # 不同意延期, then handled late
    "suspended": 5,  # 挂起 for some days (the clock stopped), 恢复, closed
    "sent_back": 3,  # the unit sent it back (退回派遣), dispatched elsewhere
    "reassigned": 3,  # 改派 to another unit
    "rejected": 6,  # 不予立案
}
# Orders open now, by the state they wait in (and how their deadline stands).
CURRENT = {
    "reported": 5,
    "filed": 4,
    "dispatched": 6,
    "due_soon": 4,
    "overdue": 5,
    "extension_requested": 3,
    "suspended_now": 3,
    "handled": 5,
    "verified": 3,
}
APPS = (("facade-hazard", 5), ("small-site", 4), ("flood-patrol", 2))


@dataclass
class Plan:
    """One order's story: when it is reported and, for an order open now, when each step is."""

    number: int
    kind: str
    app: str
    street: str
    reported_at: datetime
    seed: int
    steps: list[tuple[str, datetime]] = field(default_factory=list)

    @property
    def submission_id(self) -> uuid.UUID:
        return uuid.uuid5(NAMESPACE, f"history/{self.number}")


def _work(start: datetime, hours: float) -> datetime:
    return add_working_seconds(start, int(hours * 3600))


def _before(moment: datetime, hours: float) -> datetime:
    """The moment `hours` of working time before `moment` (add_working_seconds run backwards)."""
    left = hours * 3600
    local = moment.astimezone(SHANGHAI)
    day, top = local.date(), local
    for _ in range(3660):
        if is_workday(day):
            low = datetime.combine(day, DAY_START, tzinfo=SHANGHAI)
            high = min(datetime.combine(day, DAY_END, tzinfo=SHANGHAI), top)
            if high > low:
                room = (high - low).total_seconds()
                if left <= room:
                    return (high - timedelta(seconds=left)).replace(microsecond=0)
                left -= room
        day -= timedelta(days=1)
        top = datetime.combine(day, DAY_END, tzinfo=SHANGHAI)
    raise ValueError("too far back")


@functools.cache
def _dispatch_limit_hours(app: str) -> float:
    limit, _clock = clock_for(demo_app(app)["flow"], "dispatched")
    return limit_seconds(limit, urgent=False) / 3600


def _current_steps(kind: str, app: str, end: datetime, r: random.Random) -> list:
    """The steps of an order open now, placed backwards from `end` in working time."""
    limit = _dispatch_limit_hours(app)
    if kind == "reported":
        return []
    if kind == "filed":
        return [("file", _before(end, r.uniform(0.5, 6)))]
    dispatched = {
        "dispatched": r.uniform(2, 12),
        "due_soon": limit - r.uniform(1, 3),  # under four working hours left
        "overdue": limit + r.uniform(4, 20),
        "extension_requested": r.uniform(10, 20),
        "suspended_now": r.uniform(30, 40),
        "handled": r.uniform(12, 20),
        "verified": r.uniform(12, 20),
    }[kind]
    at = _before(end, dispatched)
    steps = [("file", _before(at, r.uniform(0.5, 3))), ("dispatch", at)]
    later = {
        "extension_requested": [("request_extension", r.uniform(0.5, 3))],
        "suspended_now": [("suspend", r.uniform(20, 28))],
        "handled": [("handle", r.uniform(0.5, 6))],
        "verified": [("handle", r.uniform(4, 8)), ("verify", r.uniform(0.3, 2))],
    }.get(kind, [])
    steps += [(action, _before(end, hours)) for action, hours in later]
    return steps


def _plans(*, start: datetime, end: datetime) -> list[Plan]:
    """Every order of the history, drawn from the fixed seed (the same list on every run)."""
    r = random.Random(SEED)
    kinds = [k for k, n in PAST.items() for _ in range(n)]
    kinds += [k for k, n in CURRENT.items() for _ in range(n)]
    r.shuffle(kinds)
    streets = list(STREETS)
    weights = [STREETS[s][0] for s in streets]
    settled = (end - start).total_seconds() - SETTLED_DAYS * 86400
    plans = []
    for number, kind in enumerate(kinds, start=1):
        seed = r.randrange(1 << 30)
        street = r.choices(streets, weights)[0]
        current = kind in CURRENT
        apps = [(a, w) for a, w in APPS if not (current and a == "flood-patrol")]
        app = r.choices([a for a, _w in apps], [w for _a, w in apps])[0]
        if current:
            steps = _current_steps(kind, app, end, r)
            first = steps[0][1] if steps else end
            reported_at = _before(first, r.uniform(0.5, 4))
        else:
            steps = []
            moment = (start + timedelta(seconds=r.uniform(0, settled))).astimezone(SHANGHAI)
            midnight = moment.replace(hour=0, minute=0, second=0, microsecond=0)
            reported_at = _work(midnight, r.uniform(0, 8))
            if app == "flood-patrol":  # patrols come with the rain: any hour
                reported_at = moment.replace(microsecond=0)
        plans.append(Plan(number, kind, app, street, reported_at, seed, steps))
    return plans


class _History:
    """The people, apps and grids the plans need, and the one way each step is taken."""

    def __init__(self):
        usernames = {p["username"] for p in HISTORY_PEOPLE} | set(DEPARTMENT_HANDLERS.values())
        for _w, grid_workers, *staff, _roads in STREETS.values():
            usernames |= {*grid_workers, *staff}
        self.people = {p.username: p for p in Person.objects.filter(username__in=usernames)}
        apps = LightApp.objects.filter(key__in=[a for a, _w in APPS])
        self.versions = {app.key: latest_version(app) for app in apps}
        self.app_keys = {app.pk: app.key for app in apps}
        self.units = {u.code: u for u in OrgUnit.objects.filter(code__startswith="310106")}
        self.grids = {
            code: [
                u
                for u in self.units.values()
                if u.kind == OrgUnit.Kind.GRID and u.parent_id == self.units[code].pk
            ]
            for code in STREETS
        }
        for grids in self.grids.values():
            grids.sort(key=lambda u: u.code)

    def staff(self, order: WorkOrder, role: str) -> Person:
        """dispatcher / supervisor of the order's street; handler of the unit it is assigned to."""
        if role == "handler":
            code = self.units_by_pk[order.assignee_unit_id].code
            if code in DEPARTMENT_HANDLERS:
                return self.people[DEPARTMENT_HANDLERS[code]]
        else:
            code = self.units_by_pk[order.org_unit_id].code
        _w, _grid, dispatcher, handler, supervisor, _roads = STREETS[code[:9]]
        return self.people[{"dispatcher": dispatcher, "handler": handler}.get(role, supervisor)]

    @functools.cached_property
    def units_by_pk(self) -> dict[int, OrgUnit]:
        return {u.pk: u for u in self.units.values()}

    def report(self, plan: Plan, r: random.Random, at: datetime) -> WorkOrder | None:
        _w, grid_workers, *_staff, roads = STREETS[plan.street]
        reporter = self.people[r.choice(grid_workers)]
        photos = [photo(reporter, plan.number + i) for i in range(2)]
        road = r.choice(roads)
        address = f"{road} {r.randint(10, 1800)} 号"
        local = at.astimezone(SHANGHAI)
        place = road if plan.app == "flood-patrol" else address
        data = ANSWERS[plan.app](sample_data(plan.app), r, local, place, photos)
        data["location"] = point_in(r.choice(self.grids[plan.street]), r)
        submission, _new = report_submit(
            submission_id=plan.submission_id,
            version=self.versions[plan.app],
            reporter=reporter,
            data=data,
            device_time=at - timedelta(seconds=r.randint(30, 600)),
        )
        return WorkOrder.objects.filter(submission=submission).first()

    def step(self, order: WorkOrder, action: str, r: random.Random, **extra) -> WorkOrder:
        role = {
            "file": "dispatcher", "reject": "dispatcher", "dispatch": "dispatcher",
            "reassign": "dispatcher", "send_back": "handler", "handle": "handler",
            "request_extension": "handler",
        }.get(action, "supervisor")  # fmt: skip
        if action == "close" and r.random() < 0.3:
            role = "dispatcher"
        actor = self.staff(order, role)
        if action in NOTES:
            extra.setdefault("note", r.choice(NOTES[action]))
        if action == "handle":
            extra["note"] = r.choice(HANDLE_NOTES[self.app_keys[order.app_id]])
            if r.random() < 0.2:
                extra["photos"] = [photo(actor, order.pk)]
        if action == "request_extension":
            extra["extension"] = {"amount": 2, "unit": "workday"}
        return work_order_transition(order=order, action=action, actor=actor, **extra)

    def elsewhere(self, order: WorkOrder) -> OrgUnit:
        """Where a sent-back or reassigned order goes: its street if it was with a department,
        else the department its subject belongs to."""
        street = self.units[self.units_by_pk[order.org_unit_id].code[:9]]
        if order.assignee_unit_id != street.pk:
            return street
        building = self.app_keys[order.app_id] != "small-site"
        return self.units["310106-D-FGJ" if building else "310106-D-CGZF"]


def _on_time(order: WorkOrder, at: datetime, r: random.Random, low=0.15, high=0.8) -> datetime:
    """A moment between `at` and the order's deadline, on its own clock."""
    if order.clock == "work":
        left = max(working_seconds_between(at, order.due_at), 600)
        return add_working_seconds(at, int(left * r.uniform(low, high)))
    return at + (order.due_at - at) * r.uniform(low, high)


def _late(order: WorkOrder, r: random.Random) -> datetime:
    if order.clock == "work":
        return _work(order.due_at, r.uniform(2, 14))
    return order.due_at + timedelta(hours=r.uniform(2, 10))


def _past(history: _History, plan: Plan) -> Iterator[datetime]:
    """An order of the past: its steps are planned as it goes, from the deadlines it gets."""
    r = random.Random(plan.seed)
    at = plan.reported_at
    yield at
    order = history.report(plan, r, at)
    at = _work(at, r.uniform(0.3, 4))
    yield at
    if plan.kind == "rejected":
        history.step(order, "reject", r)
        return
    order = history.step(order, "file", r)
    at = _work(at, r.uniform(0.3, 3))
    yield at
    order = history.step(order, "dispatch", r)
    if plan.kind in ("sent_back", "reassigned"):
        at = _work(at, r.uniform(1, 4))
        yield at
        target = history.elsewhere(order)
        if plan.kind == "reassigned":
            order = history.step(order, "reassign", r, target_unit=target)
        else:
            order = history.step(order, "send_back", r)
            at = _work(at, r.uniform(0.5, 3))
            yield at
            order = history.step(order, "dispatch", r, target_unit=target)
    if plan.kind in ("extended", "extension_refused", "suspended"):
        at = _on_time(order, at, r, 0.3, 0.6)
        yield at
        if plan.kind == "suspended":
            order = history.step(order, "suspend", r)
            at = _work(at, r.uniform(16, 48))
            yield at
            order = history.step(order, "resume", r)
        else:
            order = history.step(order, "request_extension", r)
            at = _work(at, r.uniform(1, 4))
            yield at
            refused = plan.kind == "extension_refused"
            order = history.step(order, "reject_extension" if refused else "approve_extension", r)
    at = _late(order, r) if plan.kind in ("late", "extension_refused") else _on_time(order, at, r)
    yield at
    order = history.step(order, "handle", r)
    if plan.kind == "rework":
        at = _work(at, r.uniform(1, 5))
        yield at
        order = history.step(order, "rework", r)
        at = _on_time(order, at, r)
        yield at
        order = history.step(order, "handle", r)
    at = _work(at, r.uniform(0.5, 5))
    yield at
    order = history.step(order, "verify", r)
    at = _work(at, r.uniform(0.3, 3))
    yield at
    history.step(order, "close", r)


def _current(history: _History, plan: Plan) -> Iterator[datetime]:
    """An order open now: its steps at the moments planned backwards from now."""
    r = random.Random(plan.seed)
    yield plan.reported_at
    order = history.report(plan, r, plan.reported_at)
    for action, at in plan.steps:
        yield at
        order = history.step(order, action, r)


def _escalation(start: datetime, end: datetime) -> Iterator[datetime]:
    """The escalation pass, as beat would have run it (TICKS) and once at the end."""
    day = start.astimezone(SHANGHAI).date()
    while day <= end.astimezone(SHANGHAI).date():
        for tick in TICKS if is_workday(day) else ():
            at = datetime.combine(day, tick, tzinfo=SHANGHAI)
            if start <= at < end:
                yield at
                work_orders_escalate(now=at)
        day += timedelta(days=1)
    yield end
    work_orders_escalate(now=end)


def seed_demo_history(*, now: datetime | None = None) -> int:
    """Replay the history's orders not stored yet, up to `now`; returns how many were new."""
    end = (now or timezone.now()).replace(microsecond=0)
    start = end - timedelta(days=HISTORY_DAYS)
    plans = _plans(start=start, end=end)
    stored = set(
        Submission.objects.filter(pk__in=[p.submission_id for p in plans]).values_list(
            "pk", flat=True
        )
    )
    plans = [p for p in plans if p.submission_id not in stored]
    if not plans:
        return 0
    units = {u.code: u for u in OrgUnit.objects.filter(code__startswith="310106")}
    seed_people(units=units, people_specs=HISTORY_PEOPLE)
    history = _History()
    order = itertools.count()
    lives = [(_current if p.kind in CURRENT else _past)(history, p) for p in plans]
    lives.append(_escalation(start, end))
    queue = []
    for life in lives:
        heapq.heappush(queue, (next(life), next(order), life))
    # One transaction: the history is there whole or not at all (and SQLite writes it fast).
    with transaction.atomic(), effects_withheld():
        while queue:
            at, _n, life = heapq.heappop(queue)
            with clock_at(at):
                following = next(life, None)
            if following is None:
                continue
            if following > end:  # never write the future: the rest of this story is not yet
                life.close()
                continue
            heapq.heappush(queue, (max(following, at), next(order), life))
    return len(plans)
