"""Every request has an id: the proxy's `X-Request-ID` when it is a sane token, else a new one.

The id is on the request (`request.request_id`), on every log record written while it is served
(lightapps.web.logs), in the `X-Request-ID` response header, and on the one line logged for the
request by the `lightapps.requests` logger (method, path, status, duration, user).
"""

import logging
import re
import time
import uuid

from .logs import request_id_var

HEADER = "X-Request-ID"
# What we take from outside: short, and nothing that could break a log line or a header.
SANE_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

logger = logging.getLogger("lightapps.requests")


def request_id_from(request) -> str:
    incoming = request.META.get("HTTP_X_REQUEST_ID", "")
    return incoming if SANE_ID.fullmatch(incoming) else uuid.uuid4().hex


def _user_id(request):
    user = getattr(request, "user", None)
    return user.pk if user is not None and user.is_authenticated else None


class RequestIdMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.request_id = request_id_from(request)
        token = request_id_var.set(request.request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request.request_id
            duration_ms = round((time.perf_counter() - started) * 1000, 1)
            logger.info(
                "%s %s %s %sms",
                request.method,
                request.path,
                response.status_code,
                duration_ms,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": duration_ms,
                    "user_id": _user_id(request),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
