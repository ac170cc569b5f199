"""Gunicorn for the `web` process of the Procfile (HTTP, lightapps.wsgi), set from the environment.

WEB_BIND (127.0.0.1:8000), WEB_CONCURRENCY worker processes (2), WEB_THREADS threads in each (4),
WEB_TIMEOUT seconds a request may take (60), WEB_ACCESS_LOG=1 for gunicorn's own access log on
stdout (off: the application logs one line per request itself, with its id and the user).
In production mode (DJANGO_PRODUCTION=1) gunicorn's lines are JSON like the application's.
"""

import os


def _env_on(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


bind = os.environ.get("WEB_BIND", "127.0.0.1:8000").split(",")
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
threads = int(os.environ.get("WEB_THREADS", "4"))
worker_class = "gthread"
timeout = int(os.environ.get("WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after this many requests (staggered), so a slow leak cannot grow forever.
max_requests = 2000
max_requests_jitter = 200
proc_name = "lightapps-web"
# No control socket: its default path in the home directory would be shared by every gunicorn.
control_socket_disable = True

loglevel = os.environ.get("LOG_LEVEL", "INFO").lower()
errorlog = "-"
access_log_on = _env_on("WEB_ACCESS_LOG")
accesslog = "-" if access_log_on else None

if _env_on("DJANGO_PRODUCTION"):
    logconfig_dict = {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "lightapps.web.logs.RequestIdFilter"}},
        "formatters": {"json": {"()": "lightapps.web.logs.JsonFormatter"}},
        "handlers": {
            "console": {
                "class": "logging.StreamHandler",
                "filters": ["request_id"],
                "formatter": "json",
                "stream": "ext://sys.stdout",
            }
        },
        "root": {"handlers": ["console"], "level": "INFO"},
        "loggers": {
            "gunicorn.error": {"handlers": ["console"], "propagate": False},
            # (With a logging dict gunicorn always writes access lines: they go nowhere unless
            # asked for.)
            "gunicorn.access": {
                "handlers": ["console"] if access_log_on else [],
                "propagate": False,
            },
        },
    }
