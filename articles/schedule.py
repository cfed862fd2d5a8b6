"""When what readers see next changes by the clock alone (a scheduled story going live,
a breaking flag or a front-page slot ending): no cached page or fragment outlives it."""

from core.cache import Build, get_tagged, not_collecting, set_tagged, timeout_until

from .models import Article

KEY = "newsroom:next-change"
# Invalidated when a story enters or leaves the lists; no page carries it.
TAG = "schedule"


def next_change_at(fetched=None):
    """``Article.objects.next_change_at()``, asked again only when a story enters or
    leaves the lists (tag ``schedule``). ``fetched``: entries already read with ``KEY``
    among them (the page cache reads it with the page, in the same round trip)."""
    key = KEY
    with not_collecting():
        cached = (fetched or {}).get(key) or get_tagged(key)
        if cached is None:
            build = Build()
            moment = Article.objects.next_change_at()
            cached = (moment,)
            # Asked again when a story enters or leaves the lists; else at the moment.
            timeout = timeout_until(moment, 60 * 60)
            set_tagged(key, build, [TAG], cached, timeout, until=moment)
    return cached[0]
