from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from articles.models import Article, Section
from core.cache import timeout_until, versioned_key

from .models import SocialLink
from .page_cache import CSRF_HOLE, next_change_at


def _site_chrome():
    """Navigation sections and social links: they change rarely, so they are cached
    under the content version and cost no query on a warm cache."""
    key = versioned_key("chrome")
    chrome = cache.get(key)
    if chrome is None:
        chrome = {
            "sections": list(Section.objects.active()),
            "social_links": list(SocialLink.objects.active()),
        }
        cache.set(key, chrome, timeout=60 * 60)
    return chrome


def _news_line_and_breaking():
    """The News Line, and the latest breaking story readers may see in this language.

    Shared by every page, so cached under the content version (any save moves it on),
    and never past the moment a scheduled story goes live or a breaking flag runs out:
    those happen at times no save announces.
    """
    language = get_language()
    key = versioned_key("news-line", language)
    cached = cache.get(key)
    if cached is None:
        cached = _query_news_line_and_breaking(language)
        cache.set(key, cached, timeout_until(next_change_at(), 300))
    return cached


def _query_news_line_and_breaking(language):
    items = list(Article.objects.news_line(language)[: settings.NEWS_LINE_SIZE])
    first = items[0] if items else None
    if first is None or first.breaking_pk is None:
        return items, None
    url = reverse(
        "articles:story",
        kwargs={"section": first.breaking_section, "slug": first.breaking_slug},
    )
    return items, {"pk": first.breaking_pk, "headline": first.breaking_headline, "url": url}


def site(request):
    chrome = SimpleLazyObject(_site_chrome)
    news = SimpleLazyObject(_news_line_and_breaking)
    return {
        "site_name": settings.SITE_NAME,
        "nav_sections": SimpleLazyObject(lambda: chrome["sections"]),
        "social_links": SimpleLazyObject(lambda: chrome["social_links"]),
        "news_line": SimpleLazyObject(lambda: news[0]),
        # None is falsy in a template, but a SimpleLazyObject wrapping None is not.
        "breaking_story": lambda: news[1],
    }


def page_cache_holes(request):
    """On a page rendered for the page cache, a placeholder for the reader's CSRF token
    that ``newsroom.page_cache`` fills in per response (it overrides Django's own
    ``csrf_token``, which would bake the first reader's token into everyone's copy)."""
    if getattr(request, "page_cache_holes", False):
        return {"csrf_token": CSRF_HOLE}
    return {}
