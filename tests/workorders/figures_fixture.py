"""A hand-counted world for the figures: 12 orders of 江宁路, 石门二路 and 房管局 over two past
months, every step taken through the real services with the clock set to its moment.

Months: M0 (three months ago), M1 (two months ago), M2 (last month); the period is M1–M2.
The hand counts live with the tests that assert them (test_figures_grouped.py). Orders:

- A 江宁路 M1-03: 立案, 派遣, 处置 (on time), 核查, 结案 M1-05
- B 江宁路 M1-10: 处置 (on time), 退回返工, 处置 (on time), 核查, 结案 M2-02
- C 江宁路 M1-15: 不予立案
- D 江宁路 M2-05: 处置 late; open, overdue now
- E 江宁路 M2-08: 派遣, 挂起 (缓办)
- F 江宁路 M2-10: 派遣, not handled, its deadline M2-12 passed (unhandled late, overdue now)
- G 江宁路 M2-01 00:30 local (still M1 in UTC): waiting for 立案
- H 江宁路 M0-25, 处置 on time M1-02: a step in the period of an order from before it
- I 江宁路 M1-06 派遣 to 房管局, handled there on time, 核查, 结案 M1-08
- J 石门二路 M2-03 派遣 to 房管局, handled on time, waiting for 核查
- K 石门二路 M1-12: 处置 on time, 核查, 结案 M1-14
- L 石门二路 M2-15: waiting for 立案
"""

from datetime import date, datetime, time, timedelta

import pytest
from django.utils import timezone

from lightapps.demo.clock import clock_at
from lightapps.orgs.models import Role
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from tests.conftest import _person
from tests.workorders.conftest import take


def months_back() -> dict[int, date]:
    """{0: M0, 1: M1, 2: M2}: the first days of the three months before this one."""
    first = timezone.localdate().replace(day=1)
    found, day = {}, first
    for index in (2, 1, 0):
        day = (day - timedelta(days=1)).replace(day=1)
        found[index] = day
    return found


def at(month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    first = months_back()[month]
    return timezone.make_aware(datetime.combine(first.replace(day=day), time(hour, minute)))


def period() -> tuple[date, date]:
    """since, until (inclusive) of M1–M2."""
    months = months_back()
    return months[1], months_back_last_day()


def months_back_last_day() -> date:
    return timezone.localdate().replace(day=1) - timedelta(days=1)


@pytest.fixture
def figures_world(tree, people, make_order):
    smr_dispatcher = _person("smr_dispatcher", "钱派遣", tree["smr"], Role.DISPATCHER)
    smr_handler = _person("smr_handler", "孙处置", tree["smr"], Role.HANDLER)
    fgj_handler = _person("fgj_handler", "马房管", tree["fgj"], Role.HANDLER)
    who = {
        **people,
        "smr_dispatcher": smr_dispatcher,
        "smr_handler": smr_handler,
        "fgj_handler": fgj_handler,
    }
    jny, fgj, smr = tree["jny"].pk, tree["fgj"].pk, tree["smr"].pk

    def order(reporter, moment, steps):
        with clock_at(moment):
            made = make_order(who[reporter])
        for action, actor, when, *extra in steps:
            with clock_at(when):
                made = take(made, action, who[actor], **(extra[0] if extra else {}))
        return made

    def loop(month, day, target, dispatcher="dispatcher"):
        return [
            ("file", dispatcher, at(month, day, 11)),
            ("dispatch", dispatcher, at(month, day, 12), {"target_unit": target}),
        ]

    def close(month, day, supervisor="supervisor"):
        return [
            ("verify", supervisor, at(month, day, 10)),
            ("close", supervisor, at(month, day, 11)),
        ]

    o = {}
    o["A"] = order("owner", at(1, 3), [
        *loop(1, 3, jny), ("handle", "handler", at(1, 4)), *close(1, 5),
    ])  # fmt: skip
    o["B"] = order("owner", at(1, 10), [
        *loop(1, 10, jny), ("handle", "handler", at(1, 11)), ("rework", "supervisor", at(1, 12)),
        ("handle", "handler", at(1, 13)), *close(2, 2),
    ])  # fmt: skip
    o["C"] = order("owner", at(1, 15), [("reject", "dispatcher", at(1, 15, 11))])
    o["D"] = order("owner", at(2, 5), [*loop(2, 5, jny), ("handle", "handler", at(2, 9))])
    o["E"] = order("owner", at(2, 8), [*loop(2, 8, jny), ("suspend", "supervisor", at(2, 9))])
    o["F"] = order("owner", at(2, 10), loop(2, 10, jny))
    o["G"] = order("owner", at(2, 1, 0, 30), [])
    o["H"] = order("owner", at(0, 25), [*loop(0, 25, jny), ("handle", "handler", at(1, 2))])
    o["I"] = order("owner", at(1, 6), [
        *loop(1, 6, fgj), ("handle", "fgj_handler", at(1, 7)), *close(1, 8),
    ])  # fmt: skip
    o["J"] = order("outsider", at(2, 3), [
        *loop(2, 3, fgj, "smr_dispatcher"), ("handle", "fgj_handler", at(2, 4)),
    ])  # fmt: skip
    o["K"] = order("outsider", at(1, 12), [
        *loop(1, 12, smr, "smr_dispatcher"), ("handle", "smr_handler", at(1, 13)),
        *close(1, 14, "smr_supervisor"),
    ])  # fmt: skip
    o["L"] = order("outsider", at(2, 15), [])

    # Deadlines as the hand count wants them: each 处置 on time (an hour to spare) but D's;
    # of the open orders, D and F overdue now (F's deadline passed on M2-12), the others not.
    for event in WorkOrderEvent.objects.filter(action="handle"):
        late = event.order_id == o["D"].pk
        due = event.created_at + timedelta(hours=-1 if late else 1)
        WorkOrderEvent.objects.filter(pk=event.pk).update(due_at=due)
    future = timezone.now() + timedelta(days=30)
    WorkOrder.objects.filter(closed_at__isnull=True).update(due_at=future)
    WorkOrder.objects.filter(pk=o["D"].pk).update(due_at=at(2, 6))
    WorkOrder.objects.filter(pk=o["F"].pk).update(due_at=at(2, 12))
    return {"orders": {k: WorkOrder.objects.get(pk=v.pk) for k, v in o.items()}, "people": who}
