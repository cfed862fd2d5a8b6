"""When what readers see next changes by the clock alone (a scheduled story going live,
a breaking flag or a front-page slot ending): no cached page or fragment outlives it."""

from core.cache import Build, get_tagged, not_collecting, set_tagged, timeout_until


def next_change_at():
    """``Article.objects.next_change_at()``, asked again only when a story enters or
    leaves the lists (tag ``schedule``); no page carries that tag."""
    from articles.models import Article

    key = "newsroom:next-change"
    with not_collecting():
        cached = get_tagged(key)
        if cached is None:
            build = Build()
            moment = Article.objects.next_change_at()
            cached = (moment,)
            # Asked again when a story enters or leaves the lists; else at the moment.
            timeout = timeout_until(moment, 60 * 60)
            set_tagged(key, build, ["schedule"], cached, timeout, until=moment)
    return cached[0]
