"""Which reader pages a change to a story shows up on, for the CDN purge (``core.cdn``)."""

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from core.cdn import purge_on_commit


def story_paths(article):
    """The reader pages a change to ``article`` shows up on, in its language."""
    section = article.section.slug
    with translation.override(article.language):
        return [
            article.get_absolute_url(),
            reverse("articles:home"),
            reverse("articles:news_line"),
            reverse("articles:section", kwargs={"section": section}),
            reverse("articles:feed"),
            reverse("articles:section_feed", kwargs={"section": section}),
        ]


def purge_story_on_commit(article):
    if settings.CDN_PURGE_URL:
        purge_on_commit(story_paths(article))
