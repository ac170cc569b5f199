"""API authentication and throttling.

`Authorization: Token <key>` finds the live token by its digest. Wrong keys are counted per
address: past API_AUTH_FAILURE_LIMIT in a window of API_AUTH_FAILURE_WINDOW seconds the address
gets 429 with Retry-After before any key is looked at (so guessing keys is as slow as guessing
passwords). Every call is throttled per token, per signed-in person, or per address for
anonymous calls (API_THROTTLE_RATE), answering 429 `throttled` with Retry-After.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.throttling import SimpleRateThrottle

from lightapps.audit.origin import client_ip
from lightapps.orgs.models import ApiToken
from lightapps.orgs.tokens import token_person


class TokenExpired(exceptions.AuthenticationFailed):
    default_code = "token_expired"


class TooManyFailures(exceptions.Throttled):
    default_code = "too_many_failures"


def _failure_key(request, now: float) -> tuple[str, int]:
    window = settings.API_AUTH_FAILURE_WINDOW
    slot = int(now // window)
    return f"api-auth-failures:{client_ip(request)}:{slot}", int((slot + 1) * window - now) + 1


class HashedTokenAuthentication(TokenAuthentication):
    def authenticate(self, request):
        auth = get_authorization_header(request).split()
        if not auth or auth[0].lower() != self.keyword.lower().encode():
            return None  # no token: the session (or nobody) then
        if len(auth) != 2 or len(auth[1]) > 200:
            raise exceptions.AuthenticationFailed(_("令牌格式不对：应为 “Token <令牌>”"))
        try:
            key = auth[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("令牌无效")) from None
        return self._person_for(request, key)

    def _person_for(self, request, key):
        now = time.time()
        counter, wait = _failure_key(request, now)
        if (cache.get(counter) or 0) >= settings.API_AUTH_FAILURE_LIMIT:
            raise TooManyFailures(wait=wait)
        token, why = token_person(key)
        if token is None:
            if cache.add(counter, 1, timeout=wait) is False:
                try:
                    cache.incr(counter)
                except ValueError:
                    cache.set(counter, 1, timeout=wait)
            if why == "expired":
                raise TokenExpired(_("令牌已过期，请重新签发"))
            if why == "revoked":
                raise exceptions.AuthenticationFailed(_("令牌已吊销"))
            raise exceptions.AuthenticationFailed(_("令牌无效"))
        return token.person, token


class ClientRateThrottle(SimpleRateThrottle):
    """One budget per token, per signed-in person (session), or per address (anonymous)."""

    scope = "client"

    def get_rate(self):
        return settings.API_THROTTLE_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            ident = f"token:{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"person:{request.user.pk}"
        else:
            ident = f"address:{client_ip(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}
