"""Every API error in one shape: {"code", "message", "fields"}."""

from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from lightapps.errors import DomainError


def _flatten(detail, prefix: str = "") -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix
            for k, v in _flatten(value, name).items():
                out.setdefault(k, []).extend(v)
    elif isinstance(detail, list):
        if all(not isinstance(v, dict | list) for v in detail):
            out[prefix] = [str(v) for v in detail]
        else:
            for i, value in enumerate(detail):
                for k, v in _flatten(value, f"{prefix}[{i}]").items():
                    out.setdefault(k, []).extend(v)
    else:
        out[prefix] = [str(detail)]
    return out


def exception_handler(exc, context):
    if isinstance(exc, DomainError):
        return Response(exc.as_dict(), status=exc.status)
    if isinstance(exc, RequestDataTooBig):
        return Response(
            {"code": "too_large", "message": _("提交的内容太大"), "fields": {}},
            status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE,
        )
    if isinstance(exc, Http404 | exceptions.NotFound):
        return Response(
            {"code": "not_found", "message": _("不存在或无权查看"), "fields": {}},
            status=status.HTTP_404_NOT_FOUND,
        )
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = {"code": "invalid", "message": _("请检查填写的内容"), "fields": _flatten(exc.detail)}
    elif isinstance(exc, exceptions.Throttled):
        # 429 with Retry-After (set by DRF from exc.wait); the message in words.
        wait = int(exc.wait or 1)
        code = getattr(exc, "default_code", "throttled")
        message = (
            _("令牌错误次数过多，请 %d 秒后再试") % wait
            if code == "too_many_failures"
            else _("请求太频繁，请 %d 秒后再试") % wait
        )
        body = {"code": code, "message": message, "fields": {}}
    elif isinstance(exc, exceptions.PermissionDenied) and str(exc.detail).startswith("CSRF"):
        # DRF's message carries Django's English reason ("CSRF cookie not set.").
        message = _("页面已过期或请求来源不可信（CSRF 校验失败），请刷新页面后再试")
        body = {"code": "csrf_failed", "message": message, "fields": {}}
    elif isinstance(exc, exceptions.ParseError):
        body = {"code": "parse_error", "message": _("请求内容不是有效的 JSON"), "fields": {}}
    else:
        code = getattr(exc, "default_code", "error")
        detail = exc.detail if isinstance(getattr(exc, "detail", None), str) else str(exc)
        body = {"code": code, "message": str(detail), "fields": {}}
    response.data = body
    return response
