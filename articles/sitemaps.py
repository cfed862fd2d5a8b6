"""Sitemaps for search engines (django.contrib.sitemaps), wired in newsroom/urls.py.

``/sitemap.xml`` is an index of ``SITEMAPS``: stories per language (each with its published
translations as hreflang alternates), section pages in every language, and tag and author
pages per language. ``/news-sitemap.xml`` lists the last 48 hours for Google News. What a
sitemap may list is decided by ``Article.objects.published()`` alone.
"""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone, translation
from taggit.models import Tag

from core.cache import record_tags

from .models import LANGUAGE_CODES, Article, Contributor, Section

# Google News reads stories from the last two days, at most 1,000 per sitemap.
NEWS_WINDOW = timedelta(hours=48)
NEWS_LIMIT = 1000


class LanguageSitemap(Sitemap):
    """The pages of one language: addresses are made with that language's prefix."""

    def __init__(self, language):
        self.language = language

    def location(self, item):
        with translation.override(self.language):
            return super().location(item)


class StorySitemap(LanguageSitemap):
    """Published stories in one language, newest first, with the addresses of their
    published translations (``xhtml:link rel="alternate" hreflang``) and an ``x-default``.
    """

    limit = 5000

    def items(self):
        record_tags("sitemaps")
        return Article.objects.published().in_language(self.language).for_listing()

    def lastmod(self, story):
        return story.updated_at

    def get_latest_lastmod(self):
        # For the index: one aggregate, rather than Django's default of loading every story.
        return self.items().aggregate(latest=Max("updated_at"))["latest"]

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        origin = f"{self.get_protocol(protocol)}://{self.get_domain(site)}"
        versions = published_versions([url["item"] for url in urls])
        for url in urls:
            url["alternates"] = hreflang_alternates(url["item"], versions, origin)
        return urls


def published_versions(stories):
    """``{translation_group: {language: story}}`` for the published stories of these
    stories' groups, in one query whatever the number of stories."""
    versions = {}
    published = (
        Article.objects.published()
        .filter(translation_group__in={story.translation_group for story in stories})
        .select_related("section")
        .only("language", "slug", "translation_group", "section__slug")
        .order_by("published_at", "pk")
    )
    for version in published:
        # Should a group hold two stories in one language, the first published stands.
        versions.setdefault(version.translation_group, {}).setdefault(version.language, version)
    return versions


def hreflang_alternates(story, versions, origin):
    """Every published language version of the story (itself included), then
    ``x-default``: the English version if published, else the story itself. A story
    with no published translation needs none."""
    by_language = {**versions.get(story.translation_group, {}), story.language: story}
    if len(by_language) < 2:
        return []
    alternates = [
        {"lang_code": code, "location": origin + by_language[code].get_absolute_url()}
        for code in LANGUAGE_CODES
        if code in by_language
    ]
    default = by_language.get(settings.LANGUAGE_CODE, story)
    alternates.append({"lang_code": "x-default", "location": origin + default.get_absolute_url()})
    return alternates


class SectionSitemap(Sitemap):
    """Every active section front in every language, each pointing at the others
    (Django's own i18n alternates: the same page under each language prefix)."""

    i18n = True
    alternates = True

    def items(self):
        record_tags("sitemaps")
        return Section.objects.active()

    def get_urls(self, page=1, site=None, protocol=None):
        urls = super().get_urls(page=page, site=site, protocol=protocol)
        # Django's x_default drops the language prefix, an address this site redirects;
        # x-default is the English page here, as for stories.
        for url in urls:
            default = next(
                alternate["location"]
                for alternate in url["alternates"]
                if alternate["lang_code"] == settings.LANGUAGE_CODE
            )
            url["alternates"].append({"lang_code": "x-default", "location": default})
        return urls


class TagSitemap(LanguageSitemap):
    """Tag pages in one language, for tags of that language (or of every language) that
    have published stories in it."""

    def items(self):
        record_tags("sitemaps")
        stories = Article.objects.published().in_language(self.language)
        tags = Tag.objects.filter(article__in=stories).filter(
            Q(language_info__isnull=True) | Q(language_info__language=self.language)
        )
        return tags.distinct().order_by("name")

    def location(self, tag):
        with translation.override(self.language):
            return reverse("articles:tag", kwargs={"tag": tag.slug})


class AuthorSitemap(LanguageSitemap):
    """Author pages in one language, for contributors with published stories in it."""

    def items(self):
        record_tags("sitemaps")
        stories = Article.objects.published().in_language(self.language)
        return Contributor.objects.filter(bylines__article__in=stories).distinct()


class NewsSitemap(Sitemap):
    """Stories published in the last 48 hours, all languages, for Google News
    (rendered with templates/articles/news_sitemap.xml)."""

    limit = NEWS_LIMIT

    def items(self):
        record_tags("sitemaps")
        return (
            Article.objects.published()
            .filter(published_at__gte=timezone.now() - NEWS_WINDOW)
            .for_listing()
        )


# The view builds a fresh sitemap per request from each of these (they are callables).
SITEMAPS = {
    **{f"stories-{code}": partial(StorySitemap, code) for code in LANGUAGE_CODES},
    "sections": SectionSitemap,
    **{f"tags-{code}": partial(TagSitemap, code) for code in LANGUAGE_CODES},
    **{f"authors-{code}": partial(AuthorSitemap, code) for code in LANGUAGE_CODES},
}
NEWS_SITEMAPS = {"news": NewsSitemap}
