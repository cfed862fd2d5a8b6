"""Related stories that fill themselves (issue 23): worked out by a worker when a story
is published or changed, stored as ``SuggestedStory`` rows, never on a reader's request.

Under a story readers see its editors' related links first (``RelatedLink``), then the
stored suggestions fill the list up to ``settings.RELATED_STORIES_LIMIT``
(``automatic_links``).

**Candidates**: stories readers may see (``published_q()``) in the story's language;
never the story itself or one of its translations, never a story its editors excluded
(``Article.excluded_suggestions``) or already link to by hand.

**Score**, best first, the newer story first on a tie:

* 3 for each tag the two share: one shared tag outweighs everything else together;
* 1 for the same section;
* up to 1.5 for text similarity (``search.with_text_similarity``: PostgreSQL's rank on
  the stored search vector, SQLite's bm25 on its FTS5 table), relative to the closest
  candidate;
* up to 0.5 for being new, halved with every ``HALF_LIFE`` of age.

A candidate shares a tag, the section or words with the story. The database orders
them by shared tags, then text, section and time, and the best ``POOL`` of them are
scored here.

**When**: ``Article`` saves (published, scheduled or unpublished) enqueue
``refresh_suggestions`` after commit (``register_signal_handlers``, connected in
``ArticlesConfig.ready()``, as search listens to the models). It refreshes the story's
own suggestions and those of its neighbours: the stories that suggested it (an
unpublished story leaves a gap there, an edited one may rank differently) and the
stories it now suggests (it is new to them). The story page reads the suggestions
through ``published_q()`` again, so a story unpublished since is gone at once, before
the worker fills its place.
"""

from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Case, Count, IntegerField, OuterRef, Q, Subquery, Value, When
from django.db.models.functions import Coalesce
from django.db.models.signals import post_save
from django.utils import timezone
from django_tasks import task
from taggit.models import TaggedItem

from core.cache import invalidate_tags
from core.tasks import enqueue_on_commit, retried

from .models import Article, SuggestedStory
from .search import with_text_similarity

TAG_WEIGHT, SECTION_WEIGHT, TEXT_WEIGHT, NEW_WEIGHT = 3.0, 1.0, 1.5, 0.5
HALF_LIFE = timedelta(days=30)
POOL = 50


def candidates(story):
    """The stories that may be suggested under ``story``, annotated with what they share
    with it (``shared_tags``, ``same_section``, ``text_similarity``), closest first."""
    tag_ids = list(story.tags.values_list("pk", flat=True))
    shared_tags = (
        TaggedItem.objects.filter(
            content_type__app_label="articles",
            content_type__model="article",
            object_id=OuterRef("pk"),
            tag_id__in=tag_ids,
        )
        .values("object_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    stories = (
        Article.objects.published()
        .filter(language=story.language)
        .exclude(translation_group=story.translation_group)
        .exclude(pk__in=story.excluded_suggestions.values("pk"))
        .exclude(inbound_links__article=story)
        .annotate(
            shared_tags=Coalesce(Subquery(shared_tags, output_field=IntegerField()), 0),
            same_section=Case(
                When(section_id=story.section_id, then=Value(1)),
                default=Value(0),
                output_field=IntegerField(),
            ),
        )
    )
    stories = with_text_similarity(stories, story)
    return stories.filter(
        Q(shared_tags__gt=0) | Q(same_section=1) | Q(text_similarity__gt=0)
    ).order_by("-shared_tags", "-text_similarity", "-same_section", "-published_at", "-pk")


def scored(story, now=None):
    """``[(score, candidate)]`` for ``story``, best first (see the module's docstring)."""
    now = now or timezone.now()
    pool = list(candidates(story).only("pk", "section_id", "published_at")[:POOL])
    closest = max((c.text_similarity for c in pool), default=0) or 1

    def score(candidate):
        age = max(now - candidate.published_at, timedelta(0))
        return (
            TAG_WEIGHT * candidate.shared_tags
            + SECTION_WEIGHT * candidate.same_section
            + TEXT_WEIGHT * candidate.text_similarity / closest
            + NEW_WEIGHT * 0.5 ** (age / HALF_LIFE)
        )

    ranked = sorted(pool, key=lambda c: (score(c), c.published_at, c.pk), reverse=True)
    return [(score(candidate), candidate) for candidate in ranked]


@transaction.atomic
def suggestions_store(*, story):
    """Store ``story``'s best suggestions afresh (none unless readers may see it now or
    later); returns the suggested stories' ids. Enough are kept to fill the list whatever
    the number of the editors' links. The story's pages are invalidated when the list
    changes."""
    stored = list(story.suggestions.values_list("story_id", flat=True))
    best = []
    if story.status == Article.Status.PUBLISHED:
        best = scored(story)[: settings.RELATED_STORIES_LIMIT]
    story.suggestions.all().delete()
    SuggestedStory.objects.bulk_create(
        SuggestedStory(article=story, story=candidate, rank=rank, score=score)
        for rank, (score, candidate) in enumerate(best, start=1)
    )
    ids = [candidate.pk for _score, candidate in best]
    if ids != stored:
        invalidate_tags({f"related:{story.pk}"})
    return ids


@task()
@retried
def refresh_suggestions(pk):
    """Store the suggestions of story ``pk`` and of its neighbours (the stories that
    suggested it, and those it now suggests). Idempotent: each list is worked out from
    the stories as they are now and replaces the one stored."""
    story = Article.objects.filter(pk=pk).first()
    if story is None:
        return "gone"
    suggested_it = set(story.suggested_under.values_list("article_id", flat=True))
    neighbours = suggested_it | set(suggestions_store(story=story))
    for neighbour in Article.objects.filter(pk__in=neighbours).exclude(pk=pk):
        suggestions_store(story=neighbour)
    return f"{len(neighbours)} neighbours"


def refresh_on_save(sender, instance, **kwargs):
    """A draft is on no page and suggested under none: only a story out of the
    newsroom's hands (published, scheduled, or taken back) changes suggestions."""
    if kwargs.get("raw"):  # Loading a dump: its suggestions come with it.
        return
    if instance.status in {Article.Status.PUBLISHED, Article.Status.UNPUBLISHED}:
        enqueue_on_commit(refresh_suggestions, instance.pk)


def automatic_links(article, suggested):
    """The suggested stories to show under ``article`` after its editors' links (its
    prefetched ``related_links``): from ``suggested`` (stories readers may see, with their
    ``suggestion_rank``) those not linked by hand already, best first, up to the limit."""
    links = article.related_links.all()
    linked = {link.target_article_id for link in links}
    room = max(0, settings.RELATED_STORIES_LIMIT - len(links))
    fresh = [story for story in suggested if story.pk not in linked]
    return sorted(fresh, key=lambda story: story.suggestion_rank)[:room]


def register_signal_handlers():
    """Connect the receiver (from ``ArticlesConfig.ready()``; the uid makes it idempotent)."""
    post_save.connect(refresh_on_save, sender=Article, dispatch_uid="articles_related_on_save")
