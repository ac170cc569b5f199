"""考核指标 of a street over a period, against a hand-counted fixture, in two queries."""

from datetime import timedelta

from django.utils import timezone

from lightapps.submissions.models import Submission
from lightapps.workorders.figures import work_order_figures
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from tests.workorders.conftest import take


def _run(order, people, steps):
    for action, who in steps:
        order = take(order, action, people[who])
    return order


def test_figures_of_a_street_match_the_hand_count(
    make_order, people, tree, django_assert_num_queries
):
    # given: 江宁路's orders this period —
    now = timezone.now()
    loop = [("file", "dispatcher"), ("dispatch", "dispatcher")]
    # A: handled, sent back for rework, handled again on time, verified and closed
    a = _run(make_order(people["owner"]), people, [
        *loop, ("handle", "handler"), ("rework", "supervisor"), ("handle", "handler"),
        ("verify", "supervisor"), ("close", "supervisor"),
    ])  # fmt: skip
    # B: handled, but after its deadline
    b = _run(make_order(people["owner"]), people, [*loop, ("handle", "handler")])
    late_handle = WorkOrderEvent.objects.get(order=b, action="handle")
    WorkOrderEvent.objects.filter(pk=late_handle.pk).update(
        due_at=late_handle.created_at - timedelta(hours=1)
    )
    # C: dispatched and not handled, its deadline passed two hours ago
    c = _run(make_order(people["owner"]), people, loop)
    WorkOrder.objects.filter(pk=c.pk).update(due_at=now - timedelta(hours=2))
    # D: 不予立案 (not a case); E: 挂起 (缓办); F: waiting for 立案
    d = _run(make_order(people["owner"]), people, [])
    take(d, "reject", people["dispatcher"], note="无效上报")
    e = _run(make_order(people["owner"]), people, [*loop, ("suspend", "supervisor")])
    _run(make_order(people["owner"]), people, [])
    # G: reported ten days ago, outside the period
    g = make_order(people["owner"])
    WorkOrder.objects.filter(pk=g.pk).update(created_at=now - timedelta(days=10))
    Submission.objects.filter(pk=g.submission_id).update(received_at=now - timedelta(days=10))
    # and one of 石门二路, which never counts for 江宁路
    _run(make_order(people["outsider"]), people, [])
    # time spent in 待处置: A 1 h then 2 h, B 30 min, E 10 min before 挂起
    WorkOrderEvent.objects.update(step_seconds=0)
    for order, action, seconds in [(b, "handle", 1800), (e, "suspend", 600)]:
        WorkOrderEvent.objects.filter(order=order, action=action).update(step_seconds=seconds)
    a_handles = WorkOrderEvent.objects.filter(order=a, action="handle").order_by("id")
    WorkOrderEvent.objects.filter(pk=a_handles[0].pk).update(step_seconds=3600)
    WorkOrderEvent.objects.filter(pk=a_handles[1].pk).update(step_seconds=7200)

    # when
    with django_assert_num_queries(4):  # the orders', reports' and steps' passes, the paths
        figures = work_order_figures(
            unit=tree["jny"], start=now - timedelta(days=1), end=now + timedelta(days=1), now=now
        )

    # then
    steps = figures.pop("avg_step_seconds")
    assert figures == {
        "reports": 6,  # A–F
        "opened": 6,
        "closed": 1,  # A
        "due_cases": 5,  # A, B, C, E, F (D is not a case)
        "deferred": 1,  # E
        "cases_done": 1,  # A
        "handled": 3,  # A twice, B
        "handled_on_time": 2,  # A twice
        "unhandled_late": 1,  # C
        "should_handle": 4,  # the three handled + C, overdue unhandled
        "reworked": 1,  # A
        "on_time_rate": 0.5,  # 2 / 4
        "closure_rate": 0.25,  # 1 / (5 - 1)
        "rework_rate": 0.3333,  # 1 / 3
        "overdue_now": 1,  # C
        "score": 44.17,  # 0.5×60 + 0.25×30 + (1 − 0.3333)×10
        "score_parts": {"on_time": 30.0, "closure": 7.5, "no_rework": 6.67},
    }
    # average time in each state, over the people's steps of the period
    assert steps == {
        "dispatched": 3300,  # (3600 + 7200 + 1800 + 600) / 4
        "filed": 0,
        "handled": 0,
        "reported": 0,
        "verified": 0,
    }


def test_a_unit_without_orders_has_no_rates(tree):
    now = timezone.now()
    figures = work_order_figures(unit=tree["smr"], start=now - timedelta(days=1), end=now)
    assert (figures["opened"], figures["on_time_rate"], figures["closure_rate"]) == (0, None, None)
    assert figures["score"] is None
