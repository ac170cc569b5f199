"""工作时: deadlines across National Day 2026 and its 调休 Saturday; urgent counts calendar hours."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import chinese_calendar
import pytest
from django.utils import timezone

from lightapps.workorders.deadlines import work_order_time_left
from lightapps.workorders.worktime import (
    add_working_seconds,
    deadline,
    is_workday,
    working_seconds_between,
)
from tests.workorders.conftest import take

SH = ZoneInfo("Asia/Shanghai")


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def test_the_calendar_knows_2026():
    # National Day 2026: 1–7 October off, Saturday 10 October a 调休 workday
    assert chinese_calendar.is_workday(date(2026, 9, 30)) is True
    assert [is_workday(date(2026, 10, d)) for d in range(1, 11)] == [
        False, False, False, False, False, False, False, True, True, True,
    ]  # fmt: skip
    assert date(2026, 10, 10).weekday() == 5  # a Saturday, and yet a workday
    assert is_workday(date(2026, 10, 11)) is False  # the Sunday after is off


def test_three_workdays_from_the_eve_of_national_day_end_on_the_make_up_saturday():
    # given: dispatched at 16:00 on Wednesday 30 September; 3 workdays = 24 working hours
    start = at(2026, 9, 30, 16, 0)

    # when
    due = deadline(start, {"amount": 3, "unit": "workday"}, urgent=False)

    # then: 1 h on 30 Sep, nothing 1–7 Oct, 8 h Thu 8th, 8 h Fri 9th, 7 h on Saturday 10th
    assert due == at(2026, 10, 10, 16, 0)


def test_urgent_flows_count_calendar_hours_through_the_holiday():
    start = at(2026, 9, 30, 16, 0)
    assert deadline(start, {"amount": 3, "unit": "workday"}, urgent=True) == start + timedelta(
        days=3
    )
    assert deadline(start, {"amount": 24, "unit": "hour"}, urgent=False) == at(2026, 10, 1, 16, 0)


def test_working_hours_start_next_morning_after_hours():
    # given: a step at 20:00 on Friday 9 October with 2 working hours
    due = add_working_seconds(at(2026, 10, 9, 20, 0), 2 * 3600)
    # then: Saturday 10 October is a 调休 workday
    assert due == at(2026, 10, 10, 11, 0)
    # and after that Saturday comes a normal weekend
    assert add_working_seconds(at(2026, 10, 10, 16, 30), 3600) == at(2026, 10, 12, 9, 30)


def test_working_seconds_between_skip_the_holiday():
    assert working_seconds_between(at(2026, 9, 30, 16, 0), at(2026, 10, 10, 16, 0)) == 24 * 3600
    assert working_seconds_between(at(2026, 10, 10, 16, 0), at(2026, 9, 30, 16, 0)) == -24 * 3600
    assert working_seconds_between(at(2026, 10, 2, 0, 0), at(2026, 10, 7, 23, 0)) == 0


def test_time_left_is_shown_in_working_time():
    # given: an order due at 16:00 on the make-up Saturday, looked at during the holiday
    from lightapps.definitions.models import LightAppVersion
    from lightapps.submissions.models import Submission
    from lightapps.workorders.models import WorkOrder

    order = WorkOrder(
        state="dispatched",
        clock="work",
        due_at=at(2026, 10, 10, 16, 0),
        submission=Submission(version=LightAppVersion(flow={"template": "closed_loop"})),
    )

    # when
    left = work_order_time_left(order, now=at(2026, 10, 3, 12, 0))
    late = work_order_time_left(order, now=at(2026, 10, 12, 10, 30))

    # then: 23 working hours are left (8 + 8 + 7), i.e. 2 workdays and 7 hours
    assert left["text"] == "剩余2工作日7小时"
    assert left["seconds"] == 23 * 3600
    assert (left["working"], left["overdue"]) == (True, False)
    # after the Saturday at 16:00: 1 h that day + 1.5 h on Monday
    assert late["text"] == "超时2工时30分"
    assert late["overdue"] is True


@pytest.mark.parametrize(
    ("flow", "clock"),
    [
        ({"template": "closed_loop"}, "work"),
        ({"template": "closed_loop", "priority": "urgent"}, "calendar"),
        ({"template": "closed_loop", "time_limits": {"dispatched": {"amount": 6, "unit": "hour"}}},
         "calendar"),
    ],
)  # fmt: skip
def test_the_clock_starts_at_dispatch(flow_version, submit, people, flow, clock):
    # given: an order waiting for 立案 and 派遣 has no deadline yet
    order = submit(people["owner"], flow_version(flow)).work_order
    assert order.due_at is None
    order = take(order, "file", people["dispatcher"])
    assert order.due_at is None

    # when
    before = timezone.now()
    order = take(order, "dispatch", people["dispatcher"])
    after = timezone.now()

    # then: due is the limit of 待处置 counted from the moment of 派遣
    assert order.clock == clock
    limit = {"amount": 3, "unit": "workday"}
    if "time_limits" in flow:
        limit = flow["time_limits"]["dispatched"]
    urgent = flow.get("priority") == "urgent"
    assert deadline(before, limit, urgent=urgent) <= order.due_at
    assert order.due_at <= deadline(after, limit, urgent=urgent)


def test_a_year_the_calendar_does_not_know_falls_back_to_monday_to_friday():
    # given: chinesecalendar knows holidays only up to its release year
    with pytest.raises(NotImplementedError):
        chinese_calendar.is_workday(date(2040, 1, 2))

    # when / then: deadlines keep working, counting Monday to Friday
    assert is_workday(date(2040, 1, 2)) is True  # a Monday
    assert is_workday(date(2040, 1, 7)) is False  # a Saturday
