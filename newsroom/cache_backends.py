"""Redis as the shared cache, where a Redis outage means "no cache", not an error page.

Django's RedisCache raises when Redis is unreachable, so one stopped Redis would take every
page down with it. This client answers such calls as an empty cache would: reads miss,
writes are dropped, ``incr`` finds no key (so django-ratelimit counts from zero: rate
limits are relaxed, not broken, while Redis is away). ``/healthz`` still reports the cache
as unavailable. Connection timeouts are short (``OPTIONS`` in settings) so a dead Redis
costs milliseconds per request.
"""

import functools
import logging
import time

from django.core.cache.backends.redis import RedisCache, RedisCacheClient
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
WARN_EVERY_SECONDS = 60
logger = logging.getLogger("newsroom.cache")
_last_warning = 0.0


def _warn():
    global _last_warning
    now = time.monotonic()
    if now - _last_warning > WARN_EVERY_SECONDS:
        _last_warning = now
        logger.warning("cache_unavailable")


def _or(fallback):
    """Run the Redis call; when Redis is unreachable, return ``fallback(*args)``."""

    def decorate(method):
        @functools.wraps(method)
        def wrapper(self, *args, **kwargs):
            try:
                return method(self, *args, **kwargs)
            except UNREACHABLE:
                _warn()
                return fallback(*args, **kwargs)

        return wrapper

    return decorate


def _no_key(*args, **kwargs):
    raise ValueError("Key not found (the cache is unreachable).")


class TolerantRedisCacheClient(RedisCacheClient):
    add = _or(lambda *a, **k: False)(RedisCacheClient.add)
    get = _or(lambda key, default: default)(RedisCacheClient.get)
    set = _or(lambda *a, **k: None)(RedisCacheClient.set)
    touch = _or(lambda *a, **k: False)(RedisCacheClient.touch)
    delete = _or(lambda *a, **k: False)(RedisCacheClient.delete)
    get_many = _or(lambda *a, **k: {})(RedisCacheClient.get_many)
    has_key = _or(lambda *a, **k: False)(RedisCacheClient.has_key)
    incr = _or(_no_key)(RedisCacheClient.incr)
    set_many = _or(lambda *a, **k: None)(RedisCacheClient.set_many)
    delete_many = _or(lambda *a, **k: None)(RedisCacheClient.delete_many)
    clear = _or(lambda *a, **k: False)(RedisCacheClient.clear)


class TolerantRedisCache(RedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = TolerantRedisCacheClient
