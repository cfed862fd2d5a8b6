"""Site-wide content version: one number that every content change moves forward.

Cached fragments (and, later, whole pages) carry the version in their keys, so a
change is visible on the next request on every app server sharing the cache, with
no list of keys to hunt down and delete.
"""

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

VERSION_KEY = "newsroom:content-version"


def content_version():
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, 1, timeout=None)
        version = cache.get(VERSION_KEY, 1)
    return version


def _bump():
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # Not in the cache yet (first start, or evicted).
        cache.add(VERSION_KEY, 2, timeout=None)


def bump_content_version():
    """Move the version on now, and again when the current transaction commits.

    The second bump closes the window in which another request could cache what it read
    before this transaction's changes became visible.
    """
    _bump()
    transaction.on_commit(_bump)


def timeout_until(moment, longest):
    """Seconds a cached value may live: ``longest``, cut short at ``moment`` (if any)."""
    if moment is None:
        return longest
    return max(1, min(longest, int((moment - timezone.now()).total_seconds()) + 1))


def versioned_key(name, *parts):
    return ":".join(["newsroom", name, str(content_version()), *map(str, parts)])


def get_current(key):
    """``(version, value)``: the content version, and what ``set_current`` stored under
    ``key`` if it was stored at that version (else None). One round trip to the cache
    where ``cache.get(versioned_key(...))`` takes two, which matters on the hottest path
    (a page cache hit)."""
    found = cache.get_many([VERSION_KEY, key])
    version = found.get(VERSION_KEY)
    if version is None:
        return content_version(), None
    stored_at, value = found.get(key, (None, None))
    return version, value if stored_at == version else None


def set_current(key, version, value, timeout):
    cache.set(key, (version, value), timeout)


class BumpsContentVersion:
    """Model mixin: saving or deleting a row changes what readers may see."""

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        bump_content_version()

    def delete(self, *args, **kwargs):
        result = super().delete(*args, **kwargs)
        bump_content_version()
        return result
