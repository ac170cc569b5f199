"""A JSON parser that refuses bodies over DATA_UPLOAD_MAX_MEMORY_SIZE before parsing them,
numbers JSON does not have (NaN, Infinity, 1e400), nesting deeper than JSON_MAX_DEPTH
(`too_deep`) and text that cannot be stored (`bad_text`: NUL, lone surrogates, non-characters).
Form and multipart bodies get the same text check.

DRF reads the request stream itself, which bypasses Django's own body size check.
"""

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ParseError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser

from lightapps.web.jsonbody import form_text_check, json_loads_checked


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
            return json_loads_checked(raw.decode("utf-8"))
        except (ValueError, UnicodeDecodeError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from exc


class CheckedFormParser(FormParser):
    def parse(self, stream, media_type=None, parser_context=None):
        data = super().parse(stream, media_type, parser_context)
        form_text_check(data)
        return data


class CheckedMultiPartParser(MultiPartParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parsed = super().parse(stream, media_type, parser_context)
        form_text_check(parsed.data)
        return parsed


class CheckedJSONField(serializers.JSONField):
    """JSON that a form sends as text is read through the same checks as a JSON body (depth,
    numbers, characters), not DRF's plain json.loads."""

    def to_internal_value(self, data):
        if self.binary or getattr(data, "is_json_string", False):
            try:
                return json_loads_checked(data.decode() if isinstance(data, bytes) else data)
            except (ValueError, UnicodeDecodeError):
                self.fail("invalid")
        return super().to_internal_value(data)


class ObjectJSONField(CheckedJSONField):
    """A JSON object (a form's `schema=null` is not a definition)."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not isinstance(data, dict):
            raise serializers.ValidationError(_("必须是 JSON 对象"))
        return data
