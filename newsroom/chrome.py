"""The site chrome: News Line, breaking banner, navigation and social links (issue 19).

Every page shows them, so they are fragments of their own, cached under their own tags
(``core.cache``), not parts of the pages: a page rendered for the page cache holds a
placeholder for each (``{% chrome %}`` in ``site_tags``), and ``newsroom.page_cache``
fills the placeholders on every response, fresh or cached. Publishing a story then
re-renders the News Line once, and no page.

A placeholder may carry the page's own argument: the story whose page it is (the
breaking banner is not shown on the breaking story itself), the section the navigation
marks as current.
"""

import re
from contextvars import ContextVar

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import get_language

from articles import schedule
from core.cache import collecting_tags, record_tags, tagged

PLACEHOLDER = re.compile(rb"<!--newsroom-chrome:(\w+):([\w-]*)-->")
SECONDS = 60 * 60


def placeholder(name, argument=""):
    return f"<!--newsroom-chrome:{name}:{argument}-->"


def _news_items(request, language):
    """The News Line's stories, read once per request for the News Line and the banner."""
    from articles.models import Article

    memo = request.__dict__.setdefault("_news_items", {})
    if language not in memo:
        memo[language] = list(Article.objects.news_line(language)[: settings.NEWS_LINE_SIZE])
    for story in memo[language]:
        record_tags(*story.shown_tags())
    return memo[language]


def _news_line(request, _argument):
    language = get_language()

    def render():
        context = {"news_line": _news_items(request, language)}
        return render_to_string("includes/news_line.html", context, request=request)

    return _cached(f"news_line:{language}", render, [f"newsline:{language}"])


def _breaking(request, argument):
    language = get_language()

    def render():
        items = _news_items(request, language)
        first = items[0] if items else None
        if first is None or first.breaking_pk is None:
            return None, ""
        url = reverse(
            "articles:story",
            kwargs={"section": first.breaking_section, "slug": first.breaking_slug},
        )
        breaking = {"pk": first.breaking_pk, "headline": first.breaking_headline, "url": url}
        record_tags(f"story:{first.breaking_pk}")
        html = render_to_string(
            "includes/breaking_banner.html", {"breaking": breaking}, request=request
        )
        return first.breaking_pk, html

    pk, html = _cached(f"breaking:{language}", render, ["breaking", f"newsline:{language}"])
    return "" if str(pk) == argument else html


def _nav(request, argument):
    from articles.models import Section

    def render():
        context = {"nav_sections": list(Section.objects.active())}
        return render_to_string("includes/site_nav.html", context, request=request)

    html = _cached(f"nav:{get_language()}", render, ["nav"])
    # One fragment for every page: the link to this page's section is marked here.
    if argument:
        mark = f'data-nav="{argument}"'
        html = html.replace(mark, f'{mark} aria-current="page"', 1)
    return html


def _social(request, _argument):
    from .models import SocialLink

    def render():
        context = {"social_links": list(SocialLink.objects.active())}
        return render_to_string("includes/social_links.html", context, request=request)

    return _cached(f"social:{get_language()}", render, ["social"])


def _key(name):
    return f"newsroom:chrome:{name}"


def keys():
    """This language's chrome in the cache, for the page cache to read with the page
    itself (``get_tagged_many``: one round trip for all)."""
    language = get_language()
    return [_key(f"{name}:{language}") for name in PARTS]


_fetched = ContextVar("chrome_fetched", default=None)


def _cached(name, render, tags):

    key = _key(name)
    found = (_fetched.get() or {}).get(key)
    if found is not None:
        return found
    return tagged(key, render, tags, timeout=SECONDS, until=schedule.next_change_at)


PARTS = {"news_line": _news_line, "breaking": _breaking, "nav": _nav, "social": _social}


def render_part(request, name, argument=""):
    return PARTS[name](request, argument)


def stitch(request, content, fetched=None):
    """``content`` with every chrome placeholder filled in, and the tags of what filled
    them (an edge keeps the stitched page, so it must drop it when they change).
    ``fetched``: the parts the page cache already read (``keys()``)."""

    def fill(match):
        name, argument = match.group(1).decode(), match.group(2).decode()
        return render_part(request, name, argument).encode()

    token = _fetched.set(fetched)
    try:
        with collecting_tags() as tags:
            content = PLACEHOLDER.sub(fill, content)
    finally:
        _fetched.reset(token)
    return content, tags
