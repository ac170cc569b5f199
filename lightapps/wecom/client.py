"""The WeCom (企业微信 / 政务微信) API client: wechatpy's enterprise client, pointed at our host.

wechatpy 1.8.18 hard-codes the public `gettoken` URL, passes no timeout when fetching a token,
and refreshes the token on 40001/40014/42001 without a limit. This subclass talks to
`WECOM_API_BASE` (the fake in tests, a 政务微信 deployment's own host in production), always
passes a timeout, bounds the refreshes, and keeps the token in Django's cache (Redis when
REDIS_URL is set), so every process shares one token.

Settings are read from `django.conf.settings` at call time, never frozen at import.
"""

from __future__ import annotations

import hashlib
import logging
import time

import requests
from django.conf import settings
from django.core.cache import cache
from wechatpy.enterprise import WeChatClient
from wechatpy.exceptions import WeChatClientException

logger = logging.getLogger(__name__)

PUBLIC_API_BASE = "https://qyapi.weixin.qq.com/cgi-bin/"
PUBLIC_OAUTH_URL = "https://open.weixin.qq.com/connect/oauth2/authorize"
# 企业微信 web login (扫码登录, a self-built app's CorpApp login), for desktop browsers.
PUBLIC_QR_LOGIN_URL = "https://login.work.weixin.qq.com/wwlogin/sso/login"
# 40001 invalid credential, 40014 invalid access_token, 42001 access_token expired.
TOKEN_ERRORS = frozenset({40001, 40014, 42001})
MAX_TOKEN_REFRESHES = 2
DEFAULT_TIMEOUT = 5.0


class WeComTokenError(WeChatClientException):
    """The server kept refusing fresh tokens: configuration or server trouble, not a retry case."""


def wecom_configured() -> bool:
    """WeCom is on when corp id, agent id and secret are all set (read now, not at import)."""
    return bool(settings.WECOM_CORP_ID and settings.WECOM_AGENT_ID and settings.WECOM_SECRET)


def api_base() -> str:
    base = getattr(settings, "WECOM_API_BASE", "") or PUBLIC_API_BASE
    return base if base.endswith("/") else base + "/"


def oauth_url() -> str:
    return getattr(settings, "WECOM_OAUTH_URL", "") or PUBLIC_OAUTH_URL


def qr_login_url() -> str:
    return getattr(settings, "WECOM_QR_LOGIN_URL", "") or PUBLIC_QR_LOGIN_URL


def timeout() -> float:
    return float(getattr(settings, "WECOM_TIMEOUT", DEFAULT_TIMEOUT) or DEFAULT_TIMEOUT)


def cache_prefix() -> str:
    """Keys per API host, corp and agent: two agents (or a fake and the real host) never mix."""
    digest = hashlib.sha1(api_base().encode()).hexdigest()[:8]
    return f"wecom:{digest}:{settings.WECOM_CORP_ID}:{settings.WECOM_AGENT_ID}"


class DjangoCacheStorage:
    """wechatpy session storage on Django's cache (shared between processes with Redis)."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def key(self, key: str) -> str:
        return f"{self.prefix}:{key}"

    def get(self, key, default=None):
        return cache.get(self.key(key), default)

    def set(self, key, value, ttl=None):
        cache.set(self.key(key), value, ttl)

    def delete(self, key):
        cache.delete(self.key(key))


class WeComClient(WeChatClient):
    """wechatpy's enterprise client against `api_base`, with a timeout and bounded refreshes."""

    def __init__(self, *, corp_id: str, secret: str, agent_id: str, base: str, session, timeout):
        self.API_BASE_URL = base
        self.agent_id = agent_id
        self._refreshes = 0
        super().__init__(corp_id, secret, session=session, timeout=timeout)

    @property
    def access_token_key(self) -> str:
        return "access_token"

    def fetch_access_token(self) -> dict:
        """GET gettoken on our host, with a timeout; the token lives in the shared storage."""
        logger.info("Fetching a WeCom access token from %s", self.API_BASE_URL)
        try:
            res = self._http.get(
                url=f"{self.API_BASE_URL}gettoken",
                params={"corpid": self.corp_id, "corpsecret": self.secret},
                timeout=self.timeout,
            )
            res.raise_for_status()
        except requests.HTTPError as exc:
            raise WeChatClientException(
                errcode=None, errmsg=None, client=self, request=exc.request, response=exc.response
            ) from exc
        result = res.json()
        if result.get("errcode", 0) != 0:
            raise WeChatClientException(
                result["errcode"], result.get("errmsg"), client=self, response=res
            )
        expires_in = int(result.get("expires_in", 7200))
        # Drop it a little early: a token used at its last second comes back as 42001.
        self.session.set(self.access_token_key, result["access_token"], max(expires_in - 120, 60))
        self.expires_at = int(time.time()) + expires_in
        return result

    def _handle_result(self, res, method=None, url=None, result_processor=None, **kwargs):
        result = self._decode_result(res) if not isinstance(res, dict) else res
        errcode = result.get("errcode") if isinstance(result, dict) else None
        if self.auto_retry and errcode is not None and int(errcode) in TOKEN_ERRORS:
            if self._refreshes >= MAX_TOKEN_REFRESHES:
                self.session.delete(self.access_token_key)
                raise WeComTokenError(
                    int(errcode),
                    f"WeCom refused {self._refreshes + 1} access tokens in a row "
                    f"({result.get('errmsg')}): check WECOM_CORP_ID/WECOM_SECRET and the server",
                    client=self,
                )
            self._refreshes += 1
            try:
                return super()._handle_result(res, method, url, result_processor, **kwargs)
            finally:
                self._refreshes -= 1
        return super()._handle_result(res, method, url, result_processor, **kwargs)


def get_client() -> WeComClient:
    """A client for the configured corp and agent; cheap to make, the token is shared."""
    return WeComClient(
        corp_id=settings.WECOM_CORP_ID,
        secret=settings.WECOM_SECRET,
        agent_id=settings.WECOM_AGENT_ID,
        base=api_base(),
        session=DjangoCacheStorage(cache_prefix()),
        timeout=timeout(),
    )


def cached_ticket(client: WeComClient, kind: str) -> str:
    """The corp ("jsapi") or agent ("agent_config") JS-SDK ticket, cached per corp and agent."""
    key = f"ticket:{kind}"
    ticket = client.session.get(key)
    if ticket:
        return ticket
    if kind == "agent_config":
        result = client.get("ticket/get", params={"type": "agent_config"})
    else:
        result = client.get("get_jsapi_ticket")
    client.session.set(key, result["ticket"], max(int(result.get("expires_in", 7200)) - 120, 60))
    return result["ticket"]
