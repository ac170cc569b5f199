"""Logs with the request's id: the id of the request being served, a filter that puts it on every
log record, and the JSON formatter of production (one object a line, for a log collector).

Nothing here needs Django set up: gunicorn's own configuration (deploy/gunicorn.conf.py) uses the
formatter before the application is loaded.
"""

import json
import logging
from contextvars import ContextVar
from datetime import UTC, datetime

NO_REQUEST = "-"

# The id of the request this thread or task is serving (lightapps.web.request_id sets it).
request_id_var: ContextVar[str] = ContextVar("request_id", default=NO_REQUEST)

# What every LogRecord has: anything else on a record was passed as `extra=` and is logged too.
# (uvicorn's `color_message` is its message again, with terminal colours.)
_RECORD_ATTRIBUTES = frozenset(vars(logging.makeLogRecord({}))) | {
    "message",
    "asctime",
    "color_message",
}
_PLAIN = (str, int, float, bool, type(None))


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to every record: the request being served, or "-" outside a request.

    Django logs a 4xx/5xx response ("Not Found: …") after the middleware has returned; such a
    record carries the request itself, and so its id.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = record_request_id(record)
        return True


def record_request_id(record: logging.LogRecord) -> str:
    request = getattr(record, "request", None)
    return (
        getattr(record, "request_id", None)
        or getattr(request, "request_id", None)
        or request_id_var.get()
    )


class JsonFormatter(logging.Formatter):
    """One JSON object a line: time (ISO 8601, UTC), level, logger, message, request_id, the
    record's plain `extra=` values, and the exception's traceback if any.

    Newlines in a message stay inside its JSON string, so a line is always one record.
    """

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": record_request_id(record),
        }
        for key, value in vars(record).items():
            # Plain values only: Django's own records carry the request object, for instance.
            if key not in _RECORD_ATTRIBUTES and key not in entry and isinstance(value, _PLAIN):
                entry[key] = value
        if record.exc_info:
            entry["exception"] = self.formatException(record.exc_info)
        elif record.exc_text:
            entry["exception"] = record.exc_text
        if record.stack_info:
            entry["stack"] = self.formatStack(record.stack_info)
        return json.dumps(entry, ensure_ascii=False, default=str)
