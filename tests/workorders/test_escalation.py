"""超时督办: near and past the deadline, marked once however often the pass runs; bounded pages."""

from datetime import timedelta

from django.core.management import call_command
from django.utils import timezone

from lightapps.workorders.escalation import work_orders_escalate
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.tasks import work_orders_escalate as escalate_task
from tests.workorders.conftest import take

URGENT = {"template": "closed_loop", "priority": "urgent"}  # calendar hours: no clock-time luck


def _dispatched(submit, flow_version, people, flow=URGENT):
    version = flow_version(flow)
    order = submit(people["owner"], version).work_order
    order = take(order, "file", people["dispatcher"])
    return take(order, "dispatch", people["dispatcher"])


def _due_in(order, delta):
    WorkOrder.objects.filter(pk=order.pk).update(due_at=timezone.now() + delta)
    return WorkOrder.objects.get(pk=order.pk)


def _system_steps(order):
    return list(
        WorkOrderEvent.objects.filter(order=order, actor__isnull=True)
        .order_by("id")
        .values_list("action", "assignee_unit")
    )


def test_running_twice_marks_overdue_and_escalates_once(
    submit, flow_version, people, tree, django_capture_on_commit_callbacks
):
    # given: one order past its deadline, one due in an hour, one with days to go
    version = flow_version(URGENT)
    late = _due_in(_dispatched(submit, lambda f: version, people), -timedelta(hours=2))
    soon = _due_in(_dispatched(submit, lambda f: version, people), timedelta(hours=1))
    calm = _due_in(_dispatched(submit, lambda f: version, people), timedelta(days=2))

    # when
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        first = work_orders_escalate()
    second = work_orders_escalate()

    # then: steps written once; the escalation goes to the unit above the street (the district)
    assert first == {"due_soon": 1, "overdue": 1, "escalate": 1}
    assert second == {"due_soon": 0, "overdue": 0, "escalate": 0}
    assert _system_steps(late) == [("overdue", tree["jny"].pk), ("escalate", tree["jny"].pk)]
    escalate = WorkOrderEvent.objects.get(order=late, action="escalate")
    assert escalate.data == {"to_unit": tree["district"].pk, "from_unit": tree["jny"].pk}
    assert _system_steps(soon) == [("due_soon", tree["jny"].pk)]
    assert _system_steps(calm) == []
    assert len(callbacks) == 3  # one after-commit hook per step, nothing for the calm order
    late.refresh_from_db()
    assert late.escalated_to == tree["district"]
    assert late.state == "dispatched"  # escalation marks and tells; it does not move the state


def test_a_new_deadline_arms_the_alerts_again(submit, flow_version, people, tree):
    # given: an overdue order, already escalated
    order = _due_in(_dispatched(submit, flow_version, people), -timedelta(hours=1))
    work_orders_escalate()

    # when: 处置, 返工 (a fresh limit), and the fresh deadline passes too
    order = take(order, "handle", people["handler"])
    order = take(order, "rework", people["supervisor"])
    _due_in(order, -timedelta(minutes=5))
    written = work_orders_escalate()

    # then
    assert written == {"due_soon": 0, "overdue": 1, "escalate": 1}
    assert [a for a, _unit in _system_steps(order)] == [
        "overdue",
        "escalate",
        "overdue",
        "escalate",
    ]


def test_closed_suspended_and_undated_orders_are_left_alone(submit, flow_version, people):
    # given
    closed = _dispatched(submit, flow_version, people)
    for action, who in [("handle", "handler"), ("verify", "supervisor"), ("close", "supervisor")]:
        closed = take(closed, action, people[who])
    _due_in(closed, -timedelta(days=1))
    suspended = take(_dispatched(submit, flow_version, people), "suspend", people["supervisor"])
    undated = take(
        submit(people["owner"], flow_version(URGENT)).work_order, "file", people["dispatcher"]
    )

    # when
    written = work_orders_escalate()

    # then
    assert written == {"due_soon": 0, "overdue": 0, "escalate": 0}
    for order in (closed, suspended, undated):
        assert _system_steps(order) == []


def test_pages_through_many_orders_in_small_batches(submit, flow_version, people):
    # given: five overdue orders
    version = flow_version(URGENT)
    orders = [_dispatched(submit, lambda f: version, people) for _ in range(5)]
    WorkOrder.objects.filter(pk__in=[o.pk for o in orders]).update(
        due_at=timezone.now() - timedelta(minutes=1)
    )

    # when: two at a time
    written = work_orders_escalate(batch=2)

    # then: all of them, each once
    assert written == {"due_soon": 0, "overdue": 5, "escalate": 5}
    assert WorkOrderEvent.objects.filter(action="overdue").count() == 5


def test_the_beat_task_and_the_embedded_loop_run_the_same_pass(submit, flow_version, people):
    # given
    order = _due_in(_dispatched(submit, flow_version, people), -timedelta(minutes=1))

    # when: the Celery task (beat) and the command `make run` starts, once each
    # (apply: run here, as the worker would, also when REDIS_URL sends .delay() to a worker)
    assert escalate_task.apply().get() == {"due_soon": 0, "overdue": 1, "escalate": 1}
    call_command("escalation_loop", "--once")

    # then
    assert [a for a, _unit in _system_steps(order)] == ["overdue", "escalate"]


def test_working_time_decides_what_is_due_soon(submit, flow_version, people):
    # given: a working-time order whose deadline is 3 working hours away
    from lightapps.workorders.worktime import add_working_seconds

    order = _dispatched(submit, flow_version, people, flow={"template": "closed_loop"})
    now = timezone.now()
    due = add_working_seconds(now, 3 * 3600)
    WorkOrder.objects.filter(pk=order.pk).update(due_at=due)

    # when
    written = work_orders_escalate(now=now)

    # then: under four working hours, whatever the calendar says
    assert written == {"due_soon": 1, "overdue": 0, "escalate": 0}
