"""A JSON parser that refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE before parsing them,
and numbers JSON does not have (NaN, Infinity, 1e400).

DRF reads the request stream itself, which bypasses Django's own body size check.
"""

import json
import math

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class LimitedJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        request = (parser_context or {}).get("request")
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise RequestDataTooBig
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestDataTooBig
        try:
            return json.loads(raw.decode("utf-8"), parse_constant=_refuse, parse_float=_finite)
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc


def _refuse(constant: str):
    """NaN and ±Infinity are not JSON (RFC 8259), and PostgreSQL's jsonb cannot store them."""
    raise ValueError(f"{constant} is not a JSON number")


def _finite(text: str) -> float:
    """A number too large for a float (1e400) would read as infinity: refused the same way."""
    value = float(text)
    if not math.isfinite(value):
        raise ValueError(f"{text} is out of range")
    return value
