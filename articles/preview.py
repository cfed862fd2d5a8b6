"""Signed preview links: share a draft with someone outside the admin.

The address carries a ``PreviewLink`` id signed with the site's secret key and the time it
was signed (django.core.signing), under the story's own language prefix. It opens the story
only while the link is usable (``PreviewLink.objects.usable()``: not revoked, not expired,
the story never live since) and only under that prefix; any other token, prefix or
moment answers the reader's 404, the same as an address that never existed.
"""

from django.core import signing
from django.urls import reverse
from django.utils import translation

from .models import Article, PreviewLink
from .models.previews import PREVIEW_MAX_AGE

_SALT = "articles.preview"


def preview_link_create(*, article, user):
    """A new link to ``article``'s preview, shared by ``user``; returns its address."""
    link = PreviewLink.objects.create(article=article, created_by=user)
    return preview_url(link)


def preview_url(link):
    token = signing.dumps(link.pk, salt=_SALT)
    with translation.override(link.article.language):
        return reverse("articles:preview", kwargs={"token": token})


def previewable_story(token, language):
    """The story a token opens under the ``language`` prefix, or None."""
    try:
        pk = signing.loads(token, salt=_SALT, max_age=PREVIEW_MAX_AGE)
    except signing.BadSignature:  # SignatureExpired is a BadSignature too.
        return None
    link = PreviewLink.objects.usable().filter(pk=pk, article__language=language)
    return Article.objects.for_story_page().filter(preview_links__in=link).first()
