"""Where a request comes from: the client's address and user agent, for the audit log and the
login limits (django-axes asks `client_ip` too, so both count the same address).

Behind a reverse proxy REMOTE_ADDR is the proxy; TRUSTED_PROXY_HOPS (default 0) says how many
proxies of ours append to X-Forwarded-For, and the address the outermost of them saw is taken.
A client cannot forge it: entries it adds itself sit to the left of what our proxies append.
"""

import ipaddress
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Origin:
    ip: str | None = None
    user_agent: str = ""
    request_id: str = ""


_NOWHERE = Origin()  # outside a request: a Celery task, a command
_current: ContextVar[Origin | None] = ContextVar("audit_origin", default=None)


def _valid_ip(raw: str) -> str | None:
    try:
        return str(ipaddress.ip_address(raw.strip()))
    except ValueError:
        return None


def client_ip(request) -> str | None:
    hops = settings.TRUSTED_PROXY_HOPS
    if hops > 0:
        forwarded = [p for p in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if p]
        if len(forwarded) >= hops:
            return _valid_ip(forwarded[-hops])
    return _valid_ip(request.META.get("REMOTE_ADDR", ""))


def origin_of(request) -> Origin:
    return Origin(
        ip=client_ip(request),
        user_agent=request.META.get("HTTP_USER_AGENT", "")[:300],
        request_id=getattr(request, "request_id", "") or "",
    )


def origin_set(origin: Origin):
    """Set the origin of what follows (a request); returns the token for `origin_reset`."""
    return _current.set(origin)


def origin_reset(token) -> None:
    _current.reset(token)


def current_origin() -> Origin:
    return _current.get() or _NOWHERE
