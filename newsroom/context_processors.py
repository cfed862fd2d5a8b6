from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from articles.models import Article, Section

from .cache import timeout_until, versioned_key
from .models import SocialLink


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


def _news_line():
    """The latest headlines in this language, shared by every page.

    Cached under the content version (any save moves it on), and never past the moment
    a scheduled story goes live or a breaking flag ends, which happen with no save.
    """
    language = get_language()
    key = versioned_key("news-line", language)
    news_line = cache.get(key)
    if news_line is None:
        news_line = list(
            Article.objects.published()
            .in_language(language)
            .select_related("section")
            .only(
                "headline", "slug", "language", "published_at", "breaking_until", "section__slug"
            )
            .order_by("-published_at", "-pk")[: settings.NEWS_LINE_SIZE]
        )
        cache.set(key, news_line, timeout_until(Article.objects.next_change_at(), 300))
    return news_line


def site(request):
    chrome = SimpleLazyObject(_site_chrome)
    return {
        "site_name": settings.SITE_NAME,
        "nav_sections": SimpleLazyObject(lambda: chrome["sections"]),
        "social_links": SimpleLazyObject(lambda: chrome["social_links"]),
        "news_line": SimpleLazyObject(_news_line),
    }
