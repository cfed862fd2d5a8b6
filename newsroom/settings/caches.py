"""The caches, from the environment (imported by ``base``): see docs/deploy.md, "Redis".

"default" holds pages, fragments and the content version; "ratelimits" holds the rate-limit
counters, apart, because pages come and go by the thousand: in one cache, a flood of
uncached page views evicted the counters and lifted every limit. In production each is a
Redis database of its own (the counters in ``REDIS_URL``'s next one unless
``RATELIMIT_REDIS_URL`` names another), so clearing or evicting pages never touches them.
"""

import os
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

REDIS_URL = os.environ.get("REDIS_URL", "")


def redis_url_next_db(url):
    """``url`` with the next Redis database number (``redis://h:6379/0`` -> ``/1``)."""
    address, _sep, query_string = url.partition("?")
    query = dict(parse_qsl(query_string))
    if address.startswith("unix:") or "db" in query:
        # unix:///run/redis.sock?db=0: the path is the socket, the number is in the query.
        query["db"] = str(int(query.get("db") or 0) + 1)
        return f"{address}?{urlencode(query)}"
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{int(parts.path.strip('/') or 0) + 1}"))


RATELIMIT_REDIS_URL = os.environ.get("RATELIMIT_REDIS_URL") or (
    redis_url_next_db(REDIS_URL) if REDIS_URL else ""
)


def redis_cache(location):
    # Redis down means pages served uncached and limits lifted, never errors
    # (core/cache_backends.py).
    return {
        "BACKEND": "core.cache_backends.ResilientRedisCache",
        "LOCATION": location,
        "KEY_PREFIX": "newsroom",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }


CACHES = {
    "default": (
        redis_cache(REDIS_URL)
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "newsroom"}
    ),
    "ratelimits": (
        redis_cache(RATELIMIT_REDIS_URL)
        if RATELIMIT_REDIS_URL
        else {
            # Per process, as the local page cache is. Counters are small and short-lived;
            # room for 100,000 of them, so culling never comes near a live window.
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "newsroom-ratelimits",
            "OPTIONS": {"MAX_ENTRIES": 100_000},
        }
    ),
}
# django-ratelimit, and so core.ratelimits.wait_for(), count in this cache. (django-axes
# keeps its lockouts in the database: AxesDatabaseHandler, the default, uses no cache.)
RATELIMIT_USE_CACHE = "ratelimits"
