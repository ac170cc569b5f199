"""The Redis cache, failing open: Redis down answers "not cached" instead of an error.

What the cache holds here can be rebuilt or done without for a while: throttle and wrong-token
counters (limits pause while Redis is away), WeCom's access token (fetched again), the grid
index's version (rebuilt). A report or a step must not fail for that: with Django's own
RedisCache, Redis down is a 500 before the request does anything (the throttle reads the cache
first). Each failure is counted in the log, at most one line per LOG_EVERY seconds per process.
`/readyz` still sees the outage: its cache round trip reads back nothing.
"""

from __future__ import annotations

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

DOWN = (RedisConnectionError, RedisTimeoutError, OSError)
LOG_EVERY = 30.0


class ResilientRedisCache(RedisCache):
    _last_logged = 0.0
    _missed = 0

    def _down(self, operation: str, exc: Exception):
        cls = type(self)
        cls._missed += 1
        now = time.monotonic()
        if now - cls._last_logged >= LOG_EVERY:
            logger.warning("cache unavailable (%s: %r); %d operations answered without it",
                           operation, exc, cls._missed)  # fmt: skip
            cls._last_logged, cls._missed = now, 0

    def get(self, key, default=None, version=None):
        try:
            return super().get(key, default, version)
        except DOWN as exc:
            self._down("get", exc)
            return default

    def get_many(self, keys, version=None):
        try:
            return super().get_many(keys, version)
        except DOWN as exc:
            self._down("get_many", exc)
            return {}

    def has_key(self, key, version=None):
        try:
            return super().has_key(key, version)
        except DOWN as exc:
            self._down("has_key", exc)
            return False

    def add(self, key, value, timeout=None, version=None):
        # True: "stored", so that a caller counting with add-then-incr does not go on to incr.
        try:
            return super().add(key, value, timeout, version)
        except DOWN as exc:
            self._down("add", exc)
            return True

    def set(self, key, value, timeout=None, version=None):
        try:
            return super().set(key, value, timeout, version)
        except DOWN as exc:
            self._down("set", exc)
            return None

    def set_many(self, data, timeout=None, version=None):
        try:
            return super().set_many(data, timeout, version)
        except DOWN as exc:
            self._down("set_many", exc)
            return list(data)

    def touch(self, key, timeout=None, version=None):
        try:
            return super().touch(key, timeout, version)
        except DOWN as exc:
            self._down("touch", exc)
            return False

    def incr(self, key, delta=1, version=None):
        try:
            return super().incr(key, delta, version)
        except DOWN as exc:
            self._down("incr", exc)
            return delta

    def delete(self, key, version=None):
        try:
            return super().delete(key, version)
        except DOWN as exc:
            self._down("delete", exc)
            return False

    def delete_many(self, keys, version=None):
        try:
            return super().delete_many(keys, version)
        except DOWN as exc:
            self._down("delete_many", exc)
            return None
