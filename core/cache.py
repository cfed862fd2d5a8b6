"""Cache tags: every cached page and fragment knows what it shows, and a change drops
exactly the entries that show the changed thing (issue 19; DESIGN.md "Cache tags").

A tag is a string ``<kind>:<key>``: ``story:12``, ``reviews:12``, ``section:3``,
``tag:7``, ``author:5``, ``related:12`` (a story's automatic suggestions), ``front:en``,
``newsline:en``, ``feeds:en``, ``sitemaps``, ``breaking``, ``nav``, ``social``. While a
response or fragment is being built, whatever it fetches records its tags
(``record_tags``: models do it as rows are loaded, views and template tags for the lists
they are). The entry is stored with those tags and the moment its build started.

How an entry is dropped without a list of keys to hunt down: each tag has a
"last invalidated" stamp in the cache, taken from one shared counter (``_tick``, an
atomic ``incr`` on Redis, so stamps from every app server are ordered). An entry is
current while every one of its tags was last invalidated before the entry's build
began. ``invalidate_tags`` stamps the tags at once and again when the transaction
commits: the second stamp closes the window in which a request could cache what it read
before the change became visible. A tag whose stamp the cache lost (evicted) makes every
entry carrying it stale, never current. Works the same on Redis and the local-memory
cache; the stamps never expire, the entries do (their timeout).

``tags_invalidated`` is sent, after commit, with the tags: edge caches listen to it
(``core.cdn``).
"""

import contextlib
from contextvars import ContextVar

import django.dispatch
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

tags_invalidated = django.dispatch.Signal()

CLOCK_KEY = "newsroom:tags:clock"
# On every entry: invalidating it drops everything (a demo reload, a restored backup).
EVERYTHING = "site:all"

_collecting = ContextVar("cache_tags", default=())
# When the builds enclosing the one being stored began (a page around its fragments).
_enclosing_starts = ContextVar("cache_build_starts", default=())


def _stamp_key(tag):
    return f"newsroom:tag:{tag}"


def _tick():
    """The next stamp, or None while the cache is unreachable (nothing is stored then)."""
    try:
        return cache.incr(CLOCK_KEY)
    except ValueError:  # First start, or the counter was evicted: begin past any stamp.
        cache.add(CLOCK_KEY, int(timezone.now().timestamp() * 1000), timeout=None)
    try:
        return cache.incr(CLOCK_KEY)
    except ValueError:
        return None


def record_tags(*tags):
    """The response or fragment being built shows what ``tags`` name."""
    for tags_so_far in _collecting.get():
        tags_so_far.update(tags)


@contextlib.contextmanager
def collecting_tags(build=None):
    """Collect the tags recorded inside; they also reach every enclosing collection (a
    page shows what its fragments show). ``build``: the entry they are collected for."""
    tags = set()
    token = _collecting.set((*_collecting.get(), tags))
    started = () if build is None or build.started is None else (build.started,)
    starts = _enclosing_starts.set((*_enclosing_starts.get(), *started))
    try:
        yield tags
    finally:
        _enclosing_starts.reset(starts)
        _collecting.reset(token)


@contextlib.contextmanager
def not_collecting():
    """Build something whose tags are not the enclosing page's (a stitched fragment)."""
    token = _collecting.set(())
    try:
        yield
    finally:
        _collecting.reset(token)


def _stamp(tags):
    stamp = _tick()
    if stamp is None:
        return
    cache.set_many({_stamp_key(tag): stamp for tag in tags}, timeout=None)


def invalidate_tags(tags):
    """Drop every cached page and fragment showing any of ``tags``, here and (through
    ``tags_invalidated``) at the edges: now, and again once the transaction commits."""
    tags = frozenset(tags)
    if not tags:
        return
    _stamp(tags)

    def committed():
        _stamp(tags)
        tags_invalidated.send(sender=None, tags=tags)

    transaction.on_commit(committed)


def invalidate_everything():
    invalidate_tags([EVERYTHING])


class Build:
    """An entry being built: started before anything is read, so a change committed
    while it is built makes it stale."""

    def __init__(self):
        self.started = _tick()


def get_tagged_many(keys, stale=None):
    """``{key: value}`` of the entries ``set_tagged`` stored under ``keys`` that are
    still current, in two round trips to the cache whatever their number (the entries,
    then their tags' stamps). A current entry's tags reach the enclosing collection.
    ``stale``, a dict, receives the entries that are there but no longer current."""
    entries = cache.get_many(keys)
    now = timezone.now().timestamp()
    if stale is not None:
        stale.update((key, entry[3]) for key, entry in entries.items())
    entries = {key: entry for key, entry in entries.items() if entry[2] is None or now < entry[2]}
    wanted = {
        _stamp_key(tag) for _started, tags, _until, _value in entries.values() for tag in tags
    }
    stamps = cache.get_many(list(wanted)) if wanted else {}
    current = {}
    for key, (started, tags, _until, value) in entries.items():
        found = [stamps.get(_stamp_key(tag)) for tag in tags]
        if None not in found and max(found, default=0) < started:
            record_tags(*tags)
            current[key] = value
    if stale is not None:
        for key in current:
            del stale[key]
    return current


def get_tagged(key):
    return get_tagged_many([key]).get(key)


def set_tagged(key, build, tags, value, timeout, until=None):
    """Store ``value`` under ``key`` with ``tags``; ``until`` (a datetime) ends it early
    by the clock, for the changes no save announces (a story going live at its time)."""
    if build.started is None:
        return
    tags = frozenset(tags) | {EVERYTHING}
    keys = [_stamp_key(tag) for tag in tags]
    missing = set(keys) - cache.get_many(keys).keys()
    # Never stamped (or lost): older entries carrying it must not come back to life, nor
    # may the page being built around this fragment, which carries it too, go stale.
    floor = min((build.started, *_enclosing_starts.get())) - 1
    for stamp_key in missing:
        cache.add(stamp_key, floor, timeout=None)
    moment = until.timestamp() if until is not None else None
    cache.set(key, (build.started, tuple(tags), moment, value), timeout)


def tagged(key, render, tags=(), timeout=300, until=None):
    """``render()``'s value, cached under ``key`` with the tags it records and ``tags``;
    ``until``, if given, is called on a miss for the moment the value ends."""
    value = get_tagged(key)
    if value is not None:
        return value
    # Before the build starts: finding the moment may store entries of its own, whose
    # first stamps would otherwise postdate this build and make it stale at once.
    moment = until() if until else None
    build = Build()
    with collecting_tags(build) as recorded:
        record_tags(*tags)
        value = render()
    set_tagged(key, build, recorded, value, timeout, until=moment)
    return value


def timeout_until(moment, longest):
    """Seconds a cached value may live: ``longest``, cut short at ``moment`` (if any)."""
    if moment is None:
        return longest
    return max(1, min(longest, int((moment - timezone.now()).total_seconds()) + 1))


class CacheTagged:
    """Model mixin: a loaded row records what it shows (``shown_tags``), and saving or
    deleting one invalidates what its change reaches (``changed_tags``, by default the
    same)."""

    def shown_tags(self):
        return ()

    def changed_tags(self):
        return self.shown_tags()

    @classmethod
    def from_db(cls, db, field_names, values):
        instance = super().from_db(db, field_names, values)
        if _collecting.get():
            record_tags(*instance.shown_tags())
        return instance

    def save(self, *args, **kwargs):
        super().save(*args, **kwargs)
        invalidate_tags(self.changed_tags())

    def delete(self, *args, **kwargs):
        tags = self.changed_tags()
        result = super().delete(*args, **kwargs)
        invalidate_tags(tags)
        return result
