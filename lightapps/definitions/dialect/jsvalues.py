"""JavaScript's value rules (ECMAScript ToString, ToNumber, parseFloat, ==, <), in Python.

The phone evaluates JSON Logic with json-logic-js, whose operators are JavaScript's own (`a == b`,
`a < b`, `parseFloat(a) + parseFloat(b)`, `[].join`). The server must give the same answers,
so the operators of `logic.py` are built on these exact ports rather than on Python's rules
(where `1 == True`, `"" < None` raises, `str(1.0)` is "1.0" and `1 / 0` raises).

Values are JSON values as Python holds them: None (null), bool, int/float, str, list, dict.
JavaScript's `undefined` never reaches an operator (the publish checks refuse the only
expressions that make one: an empty `and`/`or`); UNDEFINED stands for a missing argument.
"""

import math
import re
from decimal import Decimal
from typing import Any

UNDEFINED = object()
NAN = float("nan")

# StrWhiteSpaceChar: WhiteSpace (incl. every Zs) and LineTerminator.
_WS = "\t\n\v\f\r \u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
_DECIMAL = r"[+-]?(?:Infinity|(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)"
_DECIMAL_PREFIX = re.compile(_DECIMAL)
_DECIMAL_WHOLE = re.compile(_DECIMAL + r"\Z")
_RADIX = re.compile(r"0([xXoObB])([0-9a-fA-F]+)\Z")
_RADIX_BASE = {"x": 16, "o": 8, "b": 2}


def js_type(value: Any) -> str:
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    return "object"


def number_to_string(x: float) -> str:
    """Number::toString(10): the shortest round-trip digits, laid out as JavaScript does."""
    if math.isnan(x):
        return "NaN"
    if x == 0:
        return "0"
    if math.isinf(x):
        return "Infinity" if x > 0 else "-Infinity"
    if x < 0:
        return "-" + number_to_string(-x)
    sign, digits, exponent = Decimal(repr(float(x))).as_tuple()
    text = "".join(map(str, digits)).rstrip("0") or "0"
    k = len(text)
    n = exponent + len(digits)  # the decimal point sits after n digits
    if k <= n <= 21:
        return text + "0" * (n - k)
    if 0 < n <= 21:
        return text[:n] + "." + text[n:]
    if -6 < n <= 0:
        return "0." + "0" * (-n) + text
    e = n - 1
    mantissa = text if k == 1 else text[0] + "." + text[1:]
    return f"{mantissa}e{'+' if e >= 0 else '-'}{abs(e)}"


def to_string(value: Any) -> str:
    if isinstance(value, str):
        return value
    if value is None:
        return "null"
    if value is UNDEFINED:
        return "undefined"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, (int, float)):
        return number_to_string(float(value))
    if isinstance(value, list):
        return join(value, ",")
    return "[object Object]"


def join(values: list, separator: str) -> str:
    """Array.prototype.join: null and undefined become ""."""
    return separator.join("" if v is None or v is UNDEFINED else to_string(v) for v in values)


def to_number(value: Any) -> float:
    if value is None:
        return 0.0
    if value is UNDEFINED:
        return NAN
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        text = value.strip(_WS)
        if not text:
            return 0.0
        if _DECIMAL_WHOLE.match(text):
            return float(text)
        radix = _RADIX.match(text)
        if radix:
            try:
                return float(int(radix.group(2), _RADIX_BASE[radix.group(1).lower()]))
            except (ValueError, OverflowError):
                return NAN if "Infinity" not in text else NAN
        return NAN
    if isinstance(value, list):
        return to_number(to_string(value))
    return NAN


def parse_float(value: Any) -> float:
    """parseFloat(value): the longest decimal literal at the start of its string, else NaN."""
    text = to_string(value).lstrip(_WS)
    found = _DECIMAL_PREFIX.match(text)
    if not found or found.group(0) in {"+", "-", ""}:
        return NAN
    return float(found.group(0))


def truthy(value: Any) -> bool:
    """jsonLogic.truthy: JavaScript's ToBoolean, except that an empty array is false."""
    if isinstance(value, list):
        return bool(value)
    if value is None or value is UNDEFINED or value is False:
        return False
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return not (value == 0 or math.isnan(value))
    if isinstance(value, str):
        return value != ""
    return True


def _primitive(value: Any) -> Any:
    return to_string(value) if isinstance(value, (list, dict)) else value


def loose_equals(a: Any, b: Any) -> bool:
    """IsLooselyEqual (`==`)."""
    ta, tb = js_type(a), js_type(b)
    if ta == tb:
        return strict_equals(a, b)
    if {ta, tb} == {"null", "undefined"}:
        return True
    if ta in {"null", "undefined"} or tb in {"null", "undefined"}:
        return False
    if ta == "number" and tb == "string":
        return float(a) == to_number(b)
    if ta == "string" and tb == "number":
        return to_number(a) == float(b)
    if ta == "boolean":
        return loose_equals(to_number(a), b)
    if tb == "boolean":
        return loose_equals(a, to_number(b))
    if ta == "object":
        return loose_equals(_primitive(a), b)
    if tb == "object":
        return loose_equals(a, _primitive(b))
    return False


def strict_equals(a: Any, b: Any) -> bool:
    """IsStrictlyEqual (`===`, Array.prototype.indexOf): objects only equal themselves."""
    ta = js_type(a)
    if ta != js_type(b):
        return False
    if ta == "object":
        return a is b
    if ta == "number":
        return float(a) == float(b)
    return a == b


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-be", "surrogatepass")


def less_than(a: Any, b: Any) -> bool | None:
    """IsLessThan: True/False, or None when a NaN is involved (`undefined` in the spec)."""
    pa, pb = _primitive(a), _primitive(b)
    if isinstance(pa, str) and isinstance(pb, str):
        return _utf16(pa) < _utf16(pb)
    na, nb = to_number(pa), to_number(pb)
    if math.isnan(na) or math.isnan(nb):
        return None
    return na < nb


def lt(a: Any, b: Any) -> bool:
    return less_than(a, b) is True


def le(a: Any, b: Any) -> bool:
    result = less_than(b, a)
    return result is False


def divide(a: float, b: float) -> float:
    """IEEE division as JavaScript does it: x / 0 is ±Infinity or NaN, never an error."""
    if b == 0:
        if a == 0 or math.isnan(a):
            return NAN
        negative = (a < 0) != (math.copysign(1.0, b) < 0)
        return -math.inf if negative else math.inf
    return a / b
