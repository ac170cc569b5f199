"""Formats of the dialect, checked the same way by both validators.

The standard formats we rely on (date, time, date-time, uuid) and our own (`cn-mobile`,
`cn-resident-id`) are each one Python function here. The fast validator (jsonschema-rs) and the
detailed one (python jsonschema) are both given these functions, so "is this a date" has one
answer; the property test in tests/definitions/test_validators_agree.py holds them to it.
"""

import re
from operator import mul
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker

_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
# RFC 3339 full-time: hh:mm:ss[.frac](Z|±hh:mm); the offset is required (a bare clock time is
# ambiguous on a server that serves several time zones).
_TIME = re.compile(r"^(\d{2}):(\d{2}):(\d{2})(\.\d+)?(Z|[+-](\d{2}):(\d{2}))$", re.IGNORECASE)
_UUID = re.compile(r"^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")
# 中国大陆手机号: 11 digits starting 13-19.
_CN_MOBILE = re.compile(r"^1[3-9][0-9]{9}$")
_RESIDENT_ID = re.compile(r"^[1-9][0-9]{16}[0-9X]$")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in {4, 6, 9, 11} else 31


def is_date(value: Any) -> bool:
    """RFC 3339 full-date (year 0000 included, as jsonschema-rs reads it)."""
    if not isinstance(value, str):
        return True
    m = _DATE.match(value)
    if not m:
        return False
    year, month, day = int(m[1]), int(m[2]), int(m[3])
    return 1 <= month <= 12 and 1 <= day <= _days_in_month(year, month)


def is_time(value: Any) -> bool:
    """RFC 3339 full-time; a leap second (:60) only at 23:59 UTC."""
    if not isinstance(value, str):
        return True
    m = _TIME.match(value)
    if not m:
        return False
    hour, minute, second = int(m[1]), int(m[2]), int(m[3])
    if hour > 23 or minute > 59 or second > 60:
        return False
    offset = 0
    if m[6] is not None:
        off_h, off_m = int(m[6]), int(m[7])
        if off_h > 23 or off_m > 59:
            return False
        offset = (off_h * 60 + off_m) * (1 if m[5][0] == "+" else -1)
    if second == 60:
        return (hour * 60 + minute - offset) % 1440 == 23 * 60 + 59
    return True


def is_date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    if len(value) < 11 or value[10] not in "Tt":
        return False
    return is_date(value[:10]) and is_time(value[11:])


def is_uuid(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_UUID.match(value))


def is_cn_mobile(value: Any) -> bool:
    """手机号码: 11 digits, 13x–19x."""
    if not isinstance(value, str):
        return True
    return bool(_CN_MOBILE.match(value))


def is_resident_id(value: Any) -> bool:
    """居民身份证号码 (GB 11643): 18 characters, a real birth date, the ISO 7064 check digit."""
    if not isinstance(value, str):
        return True
    if not _RESIDENT_ID.match(value):
        return False
    year, month, day = int(value[6:10]), int(value[10:12]), int(value[12:14])
    if year < 1900 or not 1 <= month <= 12 or not 1 <= day <= _days_in_month(year, month):
        return False
    total = sum(map(mul, map(int, value[:17]), _ID_WEIGHTS))
    return _ID_CHECK[total % 11] == value[17]


# Formats jsonschema-rs checks natively, in Rust; the property test shows the functions above
# agree with it. Calling back into Python costs microseconds per answer, so only our own formats
# are given to jsonschema-rs as Python functions (`CUSTOM_FORMATS`).
NATIVE_FORMATS = {"date", "time", "date-time", "uuid"}

FORMATS = {
    "date": is_date,
    "time": is_time,
    "date-time": is_date_time,
    "uuid": is_uuid,
    "cn-mobile": is_cn_mobile,
    "cn-resident-id": is_resident_id,
}


def _format_checker() -> FormatChecker:
    checker = FormatChecker(formats=())
    checker.checkers = dict(Draft202012Validator.FORMAT_CHECKER.checkers)
    # Keep python jsonschema's other formats (email, ipv4, …) but ours decide the shared ones.
    for name, func in FORMATS.items():
        checker.checks(name)(func)
    return checker


FORMAT_CHECKER = _format_checker()

CUSTOM_FORMATS = {name: func for name, func in FORMATS.items() if name not in NATIVE_FORMATS}
