"""JS-SDK signatures for `ww.register`: `config` (corp ticket) and `agentConfig` (agent ticket).

WeCom's algorithm: sha1("jsapi_ticket=T&noncestr=N&timestamp=TS&url=U"), keys in that (ASCII)
order, the URL being the page's full URL without the #fragment.
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings

from .client import cached_ticket, get_client


def jsapi_signature(*, ticket: str, noncestr: str, timestamp: int, url: str) -> str:
    raw = f"jsapi_ticket={ticket}&noncestr={noncestr}&timestamp={timestamp}&url={url}"
    return hashlib.sha1(raw.encode("utf-8")).hexdigest()


def page_signatures(*, url: str) -> dict:
    """What `ww.register`'s getConfigSignature / getAgentConfigSignature need for this page."""
    url = url.split("#", 1)[0]
    client = get_client()
    out = {"corpId": settings.WECOM_CORP_ID, "agentId": str(settings.WECOM_AGENT_ID)}
    for name, kind in (("config", "jsapi"), ("agentConfig", "agent_config")):
        noncestr = secrets.token_hex(8)
        timestamp = int(time.time())
        ticket = cached_ticket(client, kind)
        out[name] = {
            "timestamp": timestamp,
            "nonceStr": noncestr,
            "signature": jsapi_signature(
                ticket=ticket, noncestr=noncestr, timestamp=timestamp, url=url
            ),
        }
    return out
