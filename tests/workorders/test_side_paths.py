"""延期 (request + approval), 挂起/恢复 and 退回派遣: what they do to the deadline and the order."""

from datetime import timedelta

import pytest
from django.utils import timezone

from lightapps.errors import DomainError
from lightapps.workorders.deadlines import work_order_time_left
from lightapps.workorders.models import WorkOrder, WorkOrderEvent
from lightapps.workorders.worktime import deadline
from tests.workorders.conftest import take


@pytest.fixture
def dispatched(make_order, people):
    order = make_order(people["owner"])
    order = take(order, "file", people["dispatcher"])
    return take(order, "dispatch", people["dispatcher"])


def test_an_approved_extension_moves_the_deadline_by_the_working_time_asked(dispatched, people):
    # given
    due = dispatched.due_at

    # when: the handler asks for 2 workdays, the supervisor agrees
    asked = take(
        dispatched,
        "request_extension",
        people["handler"],
        extension={"amount": 2, "unit": "workday"},
    )
    assert (asked.state, asked.due_at) == ("extension_requested", due)  # the clock goes on
    approved = take(asked, "approve_extension", people["supervisor"], note="")

    # then
    assert approved.state == "dispatched"
    assert approved.due_at == deadline(due, {"amount": 2, "unit": "workday"}, urgent=False)
    request = WorkOrderEvent.objects.get(order=dispatched, action="request_extension")
    assert request.data == {"extension": {"amount": 2, "unit": "workday"}}


def test_a_refused_extension_keeps_the_deadline(dispatched, people):
    due = dispatched.due_at
    asked = take(dispatched, "request_extension", people["handler"])
    refused = take(asked, "reject_extension", people["supervisor"], note="期限内可以完成")
    assert (refused.state, refused.due_at) == ("dispatched", due)


@pytest.mark.parametrize(
    "extension",
    [None, {"amount": 0, "unit": "workday"}, {"amount": 31, "unit": "workday"},
     {"amount": 2, "unit": "fortnight"}, {"amount": "两", "unit": "workday"}],
)  # fmt: skip
def test_a_bad_extension_is_refused_and_changes_nothing(dispatched, people, extension):
    with pytest.raises(DomainError) as caught:
        take(dispatched, "request_extension", people["handler"], extension=extension)
    assert caught.value.code == "bad_extension"
    assert list(caught.value.fields) == ["extension"]
    assert WorkOrder.objects.get(pk=dispatched.pk).state == "dispatched"
    assert not WorkOrderEvent.objects.filter(action="request_extension").exists()


def test_suspend_stops_the_clock_and_resume_gives_the_time_left_back(dispatched, people):
    # given: an urgent-style calendar clock with 10 hours left
    WorkOrder.objects.filter(pk=dispatched.pk).update(
        clock="calendar", due_at=timezone.now() + timedelta(hours=10)
    )
    order = WorkOrder.objects.get(pk=dispatched.pk)

    # when
    suspended = take(order, "suspend", people["supervisor"], note="需要维修基金，挂账")

    # then: no deadline while suspended, so it never goes overdue
    assert (suspended.state, suspended.due_at) == ("suspended", None)
    assert 10 * 3600 - 5 <= suspended.paused_seconds <= 10 * 3600
    assert work_order_time_left(suspended)["text"] == "已挂起，计时暂停"

    # when: resumed later
    before = timezone.now()
    resumed = take(suspended, "resume", people["supervisor"], note="")

    # then: the 10 hours start again from now
    assert resumed.state == "dispatched" and resumed.paused_seconds is None
    left = (resumed.due_at - before).total_seconds()
    assert 10 * 3600 - 5 <= left <= 10 * 3600 + 5


def test_the_handler_sends_a_wrong_order_back_to_dispatch(dispatched, people):
    # when
    back = take(dispatched, "send_back", people["handler"], note="不属于本单位职责")

    # then: waiting for 派遣 again, without a deadline
    assert (back.state, back.due_at) == ("filed", None)
    assert WorkOrderEvent.objects.filter(order=dispatched).last().to_state == "filed"


def test_each_step_records_the_deadline_in_force_and_the_time_since_the_last_step(
    dispatched, people
):
    due = dispatched.due_at
    handled = take(dispatched, "handle", people["handler"])
    step = WorkOrderEvent.objects.filter(order=handled, action="handle").get()
    assert step.due_at == due
    assert step.step_seconds is not None and step.step_seconds >= 0
