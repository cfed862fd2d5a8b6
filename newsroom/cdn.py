"""Optional CDN purge: tell a CDN in front of the site to drop a story's pages at once.

Off unless ``CDN_PURGE_URL`` is set. Our own page cache needs no purge (its keys carry
the content version); a CDN holds pages for ``s-maxage`` and learns of a change only
from this. Purges go out after the transaction commits, with a short timeout; a CDN that
does not answer is logged and never fails the editor's save.
"""

import logging
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import translation

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 2


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


def purge(paths):
    for path in paths:
        address = settings.SITE_URL.rstrip("/") + path
        request = urllib.request.Request(  # noqa: S310 (the operator's own https URL)
            settings.CDN_PURGE_URL.format(url=quote(address, safe="")),
            method=settings.CDN_PURGE_METHOD,
        )
        try:
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS):  # noqa: S310
                pass
        except OSError as error:
            logger.warning("CDN purge of %s failed: %s", address, error)


def purge_story_on_commit(article):
    if settings.CDN_PURGE_URL:
        paths = story_paths(article)
        transaction.on_commit(lambda: purge(paths))
