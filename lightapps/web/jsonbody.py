"""Reading JSON and form text that can be stored, shown and exported: the one door for bodies.

Refused before anything is stored:
- nesting deeper than JSON_MAX_DEPTH (counted on the text, without recursion, before parsing);
- NaN, ±Infinity and numbers too large for a float (1e400): not JSON, and jsonb cannot hold them;
- text PostgreSQL, browsers or Excel cannot hold: NUL, lone surrogates (a `\\ud800` escape),
  and Unicode non-characters (U+FFFE, U+FFFF, U+FDD0–U+FDEF, and the last two of every plane).
"""

import json
import math
import re
from itertools import accumulate

from django.utils.translation import gettext as _

from lightapps.errors import DomainError

JSON_MAX_DEPTH = 64

_NOT_BRACKET = re.compile(r"[^\[\]{}]+")
_STEP = {"[": 1, "{": 1, "]": -1, "}": -1}
_BAD_TEXT = re.compile(
    "[\x00\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff"
    + "".join(f"{chr(p * 0x10000 + 0xFFFE)}{chr(p * 0x10000 + 0xFFFF)}" for p in range(1, 17))
    + "]"
)


# A quick filter of the raw text (NUL and surrogates cannot be in it unescaped: json.loads and
# the UTF-8 decoder refuse them); the walk decides, with the exact set.
_MAYBE_BAD = re.compile("[\ufdd0-\ufdef\ufffe\uffff\U0001fffe-\U0010ffff]")
# The escapes that can spell such a character (a surrogate pair also matches: the walk decides).
_BAD_ESCAPE = re.compile(r"\\u(?:[dD][89a-fA-F]|0000|[fF][dD][dDeE]|[fF]{3}[eEfF])")


class TooDeep(DomainError):
    code = "too_deep"


class BadText(DomainError):
    code = "bad_text"


def json_depth_check(text: str, *, limit: int = JSON_MAX_DEPTH) -> None:
    """Refuse text whose arrays/objects nest deeper than `limit` (strings do not count)."""
    # Outside strings: drop escaped backslashes and quotes, then every other piece between quotes.
    unescaped = text.replace("\\\\", "").replace('\\"', "")
    outside = "".join(unescaped.split('"')[::2])
    brackets = _NOT_BRACKET.sub("", outside)
    if max(accumulate(map(_STEP.__getitem__, brackets)), default=0) > limit:
        raise TooDeep(_("JSON 嵌套超过 %d 层") % limit)


def text_problem(value: str) -> str | None:
    """The Chinese message for a string that cannot be stored, or None."""
    found = _BAD_TEXT.search(value)
    if found is None:
        return None
    return _("含有无法保存的字符（U+%04X）") % ord(found.group())


def text_check(value, path: str = "") -> None:
    """Walk a parsed value (iteratively) and refuse the first bad string or key, by its path."""
    stack = [(path, value)]
    while stack:
        where, item = stack.pop()
        if isinstance(item, str):
            problem = text_problem(item)
            if problem:
                raise BadText(_("提交的内容含有无法保存的字符"), fields={where: [problem]})
        elif isinstance(item, dict):
            for key, child in item.items():
                name = f"{where}.{key}" if where else str(key)
                problem = text_problem(str(key))
                if problem:
                    raise BadText(_("提交的内容含有无法保存的字符"), fields={where: [problem]})
                stack.append((name, child))
        elif isinstance(item, list):
            stack.extend((f"{where}[{i}]", child) for i, child in enumerate(item))


def form_text_check(data) -> None:
    """The same text check for a form body or query string (a QueryDict), by field name."""
    for key, values in data.lists():
        text_check(key)
        for value in values:
            text_check(value, key)


def json_loads_checked(text: str, *, limit: int = JSON_MAX_DEPTH):
    """json.loads for bodies from outside: depth first, then the parse, then the text.

    Raises ValueError (not JSON), TooDeep or BadText.
    """
    json_depth_check(text, limit=limit)
    value = json.loads(text, parse_constant=_refuse, parse_float=_finite)
    if _MAYBE_BAD.search(text) or _BAD_ESCAPE.search(text):  # only then walk for the path
        text_check(value)
    return value


def _refuse(constant: str):
    """NaN and ±Infinity are not JSON (RFC 8259), and PostgreSQL's jsonb cannot store them."""
    raise ValueError(f"{constant} is not a JSON number")


def _finite(text: str) -> float:
    """A number too large for a float (1e400) would read as infinity: refused the same way."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value
