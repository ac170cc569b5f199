"""剩余时间: the one rule both faces show, on unsaved orders and fixed clocks."""

from datetime import UTC, datetime, timedelta

import pytest

from lightapps.definitions.models import LightAppVersion
from lightapps.submissions.models import Submission
from lightapps.workorders.deadlines import work_order_time_left
from lightapps.workorders.models import WorkOrder

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


def order(*, state="dispatched", due_in=None, flow=None, clock="calendar"):
    """An unsaved order under the closed loop (or `flow`), due `due_in` after NOW.

    Calendar clock (紧急) by default: these tests are about the wording; working time has its
    own tests in test_worktime.py.
    """
    version = LightAppVersion(flow=flow if flow is not None else {"template": "closed_loop"})
    return WorkOrder(
        state=state,
        due_at=None if due_in is None else NOW + due_in,
        clock=clock,
        submission=Submission(version=version),
    )


@pytest.mark.parametrize(
    ("due_in", "text"),
    [
        (timedelta(days=2, hours=3, minutes=20), "剩余2天3小时"),
        (timedelta(days=3), "剩余3天"),
        (timedelta(hours=5, minutes=10), "剩余5小时10分"),
        (timedelta(hours=5), "剩余5小时"),
        (timedelta(minutes=42, seconds=30), "剩余42分钟"),
        (timedelta(seconds=20), "剩余1分钟"),
    ],
)
def test_time_left_until_the_deadline(due_in, text):
    # when
    left = work_order_time_left(order(due_in=due_in), now=NOW)

    # then
    assert left["text"] == text
    assert left["seconds"] == int(due_in.total_seconds())
    assert left["overdue"] is False
    assert left["closed"] is False


def test_more_than_four_hours_left_is_not_soon():
    # when
    left = work_order_time_left(order(due_in=timedelta(hours=4)), now=NOW)

    # then
    assert left == {
        "text": "剩余4小时",
        "overdue": False,
        "soon": False,
        "closed": False,
        "seconds": 4 * 3600,
        "working": False,
    }


def test_under_four_hours_left_is_soon():
    # when
    left = work_order_time_left(order(due_in=timedelta(hours=3, minutes=59)), now=NOW)

    # then
    assert left == {
        "text": "剩余3小时59分",
        "overdue": False,
        "soon": True,
        "closed": False,
        "seconds": 3 * 3600 + 59 * 60,
        "working": False,
    }


def test_past_the_deadline_is_overdue_and_not_soon():
    # when
    left = work_order_time_left(order(due_in=-timedelta(hours=5)), now=NOW)

    # then
    assert left == {
        "text": "超时5小时",
        "overdue": True,
        "soon": False,
        "closed": False,
        "seconds": -5 * 3600,
        "working": False,
    }


def test_half_a_second_past_the_deadline_is_already_overdue():
    # when
    left = work_order_time_left(order(due_in=-timedelta(milliseconds=500)), now=NOW)

    # then
    assert left["overdue"] is True
    assert left["seconds"] == -1
    assert left["text"] == "超时1分钟"


def test_overdue_by_days():
    # when
    left = work_order_time_left(order(due_in=-timedelta(days=1, hours=2, minutes=5)), now=NOW)

    # then
    assert left["text"] == "超时1天2小时"


@pytest.mark.parametrize(("state", "text"), [("closed", "已结案"), ("rejected", "不予立案")])
def test_a_final_state_is_closed_whatever_the_deadline(state, text):
    # when
    past = work_order_time_left(order(state=state, due_in=-timedelta(days=9)), now=NOW)
    none = work_order_time_left(order(state=state), now=NOW)

    # then
    expected = {
        "text": text, "overdue": False, "soon": False, "closed": True, "seconds": None,
        "working": False,
    }  # fmt: skip
    assert past == expected
    assert none == expected


def test_an_open_order_without_a_deadline_has_no_time_left():
    assert work_order_time_left(order(state="reported"), now=NOW) is None


def test_an_order_outside_any_flow_counts_as_closed():
    # when
    left = work_order_time_left(
        order(state="reported", due_in=timedelta(hours=1), flow={"template": "none"}), now=NOW
    )

    # then
    assert left["closed"] is True
    assert left["text"] == "已结案"
