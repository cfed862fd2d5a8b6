"""Signed, expiring preview links: share a draft with someone outside the admin.

The link carries the story's id signed with the site's secret key (django.core.signing)
and its creation time; it is refused once tampered with, after ``PREVIEW_MAX_AGE``, and
once the story is published (then its real address is the one to share).
"""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from .models import Article

PREVIEW_MAX_AGE = 3 * 24 * 60 * 60
_SALT = "articles.preview"


def preview_url(article):
    token = signing.dumps(article.pk, salt=_SALT)
    with translation.override(article.language):
        return reverse("articles:preview", kwargs={"token": token})


def previewable_story(token):
    """The unpublished story a token points to, or None (tampered, expired, published)."""
    try:
        pk = signing.loads(token, salt=_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too.
        return None
    story = Article.objects.for_story_page().filter(pk=pk).first()
    if story is None or story.is_published:
        return None
    return story
