"""工作时: deadlines in working time, with Chinese public holidays and 调休 make-up workdays.

A workday (per `chinese_calendar`, so National Day is off and a 调休 Saturday is on) has
working hours 09:00–17:00 Asia/Shanghai; a 工作日 is 8 working hours. Urgent flows count
calendar hours (紧急工作时): a "workday" is then 24 hours.
"""

from datetime import date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import chinese_calendar

SHANGHAI = ZoneInfo("Asia/Shanghai")
DAY_START = time(9, 0)
DAY_END = time(17, 0)
HOURS_PER_WORKDAY = 8
# Far enough for any deadline; keeps a bad input from walking the calendar forever.
MAX_DAYS = 3660


@lru_cache(maxsize=4096)
def is_workday(day: date) -> bool:
    """A working day in mainland China; years the calendar does not know fall back to Mon–Fri."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        return day.weekday() < 5


def _window(day: date) -> tuple[datetime, datetime] | None:
    if not is_workday(day):
        return None
    return (
        datetime.combine(day, DAY_START, tzinfo=SHANGHAI),
        datetime.combine(day, DAY_END, tzinfo=SHANGHAI),
    )


def limit_seconds(limit: dict, *, urgent: bool) -> int:
    """The length of a limit in seconds of its own clock (working or calendar)."""
    amount = float(limit["amount"])
    per_day = 24 if urgent else HOURS_PER_WORKDAY
    hours = amount * per_day if limit["unit"] == "workday" else amount
    return int(hours * 3600)


def counts_working_time(limit: dict | None, *, urgent: bool) -> bool:
    return bool(limit) and not urgent and limit["unit"] in {"work_hour", "workday"}


def add_working_seconds(start: datetime, seconds: int) -> datetime:
    """The moment `seconds` of working time after `start` (aware datetime, returned in UTC+8)."""
    moment = start.astimezone(SHANGHAI)
    left = seconds
    day = moment.date()
    for _ in range(MAX_DAYS):
        window = _window(day)
        if window is not None:
            begin = max(window[0], moment)
            if begin < window[1]:
                room = (window[1] - begin).total_seconds()
                if left <= room:
                    return begin + timedelta(seconds=left)
                left -= room
        day += timedelta(days=1)
        moment = datetime.combine(day, time(0), tzinfo=SHANGHAI)
    raise ValueError("deadline too far away")


def working_seconds_between(start: datetime, end: datetime) -> int:
    """Working seconds from start to end; negative when end is before start."""
    if end < start:
        return -working_seconds_between(end, start)
    a, b = start.astimezone(SHANGHAI), end.astimezone(SHANGHAI)
    total = 0.0
    day = a.date()
    for _ in range(MAX_DAYS):
        if day > b.date():
            break
        window = _window(day)
        if window is not None:
            lo, hi = max(window[0], a), min(window[1], b)
            if hi > lo:
                total += (hi - lo).total_seconds()
        day += timedelta(days=1)
    return int(total)


def deadline(start: datetime, limit: dict, *, urgent: bool) -> datetime:
    """When a step that starts at `start` with this limit is due."""
    seconds = limit_seconds(limit, urgent=urgent)
    if counts_working_time(limit, urgent=urgent):
        return add_working_seconds(start, seconds)
    return start + timedelta(seconds=seconds)
