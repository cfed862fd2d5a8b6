"""What the home page shows beside the front page's slots (``frontpage``): the latest
stories of each section and the most read, with what keeps them cheap to show."""

import hashlib
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.cache import tagged

from .models import Article

STORIES_PER_SECTION_BLOCK = 4
# How old the home page's Most read may be.
MOST_READ_SECONDS = 300


def published_here():
    """Stories readers may see, in the language of the current page, ready for cards."""
    return Article.objects.published().in_language(get_language()).for_listing()


def most_read():
    now = timezone.now()
    ranked = [
        (_("Last 24 hours"), list(published_here().most_read(now - timedelta(days=1)))),
        (_("Last 7 days"), list(published_here().most_read(now - timedelta(days=7)))),
    ]
    # With no reads counted at all, the block is left out rather than shown empty.
    return {"most_read": ranked if any(stories for _period, stories in ranked) else []}


def section_blocks(shown):
    """The newest stories of each section not already on the home page above them.

    Ranking every story of the language by section is the page's costliest query, so its
    answer (the stories' ids) is kept under the language's front-page tag: publishing
    there ranks them again, a review approved or a story edited does not (their cards,
    fragments of their own, show that)."""
    language = get_language()

    def ranked_ids():
        ranked = (
            published_here().exclude(pk__in=shown).latest_per_section(STORIES_PER_SECTION_BLOCK)
        )
        return list(ranked.values_list("pk", flat=True))

    digest = hashlib.sha256(repr(shown).encode()).hexdigest()[:16]
    tags = [f"front:{language}", "nav"]  # "nav": a section renamed, hidden or reordered.
    ids = tagged(f"newsroom:home-blocks:{language}:{digest}", ranked_ids, tags)
    found = published_here().in_bulk(ids)
    blocks = {}
    for pk in ids:
        if (article := found.get(pk)) is not None:
            blocks.setdefault(article.section, []).append(article)
    return list(blocks.items())
