from django.conf import settings
from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language

from articles.models import Article, Section

from .cache import versioned_key
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
    return list(
        Article.objects.published()
        .in_language(get_language())
        .select_related("section")
        .only("headline", "slug", "language", "published_at", "breaking_until", "section__slug")
        .order_by("-published_at", "-pk")[: settings.NEWS_LINE_SIZE]
    )


def site(request):
    chrome = SimpleLazyObject(_site_chrome)
    return {
        "site_name": settings.SITE_NAME,
        "nav_sections": SimpleLazyObject(lambda: chrome["sections"]),
        "social_links": SimpleLazyObject(lambda: chrome["social_links"]),
        "news_line": SimpleLazyObject(_news_line),
    }
