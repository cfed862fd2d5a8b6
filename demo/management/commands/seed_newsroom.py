"""Seed a large newsroom for ``make bench`` and the at-scale notes in docs/performance.md.

Rows go in with ``bulk_create`` in batches: a model's ``save()`` (sanitising, slugging,
revisions) would take hours at this size, and the generated text needs none of it. The
command is idempotent by count: it only adds what is missing up to the numbers asked for.
"""

import random
import sys
import uuid
from datetime import timedelta

from django.contrib.contenttypes.models import ContentType
from django.core.management.base import BaseCommand
from django.db import connection, transaction
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from articles import search
from articles.models import Article, Byline, Contributor, Section
from comments.models import Comment
from core.cache import invalidate_everything

BATCH = 2000
LANGUAGES = ["en", "en", "ru", "az"]  # Mostly English, as on the real site.
SECTIONS = ["politics", "economics", "society", "world", "culture", "sport", "video"]
WORDS = [
    "budget", "harvest", "parliament", "election", "oil", "gas", "pipeline", "river",
    "bridge", "school", "hospital", "museum", "festival", "league", "match", "caspian",
    "railway", "tariff", "inflation", "drought", "vineyard", "reform", "court", "council",
]  # fmt: skip


class Progress:
    """A one-line progress bar on stderr (no dependency for something this small)."""

    def __init__(self, label, total):
        self.label, self.total, self.done = label, total, 0

    def add(self, count):
        self.done += count
        width = 30
        filled = width * self.done // max(self.total, 1)
        bar = "#" * filled + "-" * (width - filled)
        sys.stderr.write(f"\r{self.label:<8} [{bar}] {self.done:>8,}/{self.total:,}")
        if self.done >= self.total:
            sys.stderr.write("\n")
        sys.stderr.flush()


def sentence(rng, words):
    return " ".join(rng.choice(WORDS) for _ in range(words)).capitalize()


class Command(BaseCommand):
    help = "Seed stories, tags, bylines and reviews in bulk for load tests."

    def add_arguments(self, parser):
        parser.add_argument("--stories", type=int, default=20_000)
        parser.add_argument("--reviews", type=int, default=200_000)
        parser.add_argument("--tags", type=int, default=300)
        parser.add_argument("--seed", type=int, default=7)

    def handle(self, *, stories, reviews, tags, seed, **options):
        rng = random.Random(seed)  # noqa: S311 (repeatable fake text, not secrets)
        sections = self.sections()
        tag_rows = self.tags(tags)
        contributors = self.contributors()
        missing = max(0, stories - Article.objects.count())
        if missing:
            self.stories(rng, missing, sections, tag_rows, contributors)
        missing = max(0, reviews - Comment.objects.count())
        if missing:
            self.reviews(rng, missing)
        if connection.vendor == "postgresql":
            # Fresh planner statistics: right after a bulk load PostgreSQL still believes
            # the tables are small, and picks nested loops that take seconds (the tag page
            # took 10 s per query at 20,000 stories until this ran).
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        invalidate_everything()
        self.stdout.write(
            f"Newsroom has {Article.objects.count():,} stories and "
            f"{Comment.objects.count():,} reviews."
        )

    def sections(self):
        return [
            Section.objects.get_or_create(
                slug=slug, defaults={"name": slug.title(), "position": position}
            )[0]
            for position, slug in enumerate(SECTIONS)
        ]

    def tags(self, count):
        existing = Tag.objects.count()
        Tag.objects.bulk_create(
            Tag(name=f"topic {n}", slug=f"topic-{n}") for n in range(existing, count)
        )
        return list(Tag.objects.order_by("pk")[:count])

    def contributors(self):
        return [
            Contributor.objects.get_or_create(
                slug=f"reporter-{n}", defaults={"name": f"Reporter {n}"}
            )[0]
            for n in range(40)
        ]

    def stories(self, rng, count, sections, tags, contributors):
        progress = Progress("stories", count)
        content_type = ContentType.objects.get_for_model(Article)
        start = Article.objects.count()
        now = timezone.now()
        for offset in range(0, count, BATCH):
            size = min(BATCH, count - offset)
            batch = []
            for n in range(start + offset, start + offset + size):
                headline = f"{sentence(rng, 6)} {n}"
                published = rng.random() > 0.03  # A few drafts, as in real life.
                batch.append(
                    Article(
                        language=rng.choice(LANGUAGES),
                        translation_group=uuid.uuid4(),
                        headline=headline,
                        slug=f"story-{n}",
                        lead=sentence(rng, 20) + ".",
                        body="".join(f"<p>{sentence(rng, 40)}.</p>" for _ in range(8)),
                        section=rng.choice(sections),
                        status=Article.Status.PUBLISHED if published else Article.Status.DRAFT,
                        published_at=now - timedelta(minutes=rng.randrange(60 * 24 * 730))
                        if published
                        else None,
                        comments_mode=Article.CommentsMode.OPEN,
                    )
                )
            with transaction.atomic():
                created = Article.objects.bulk_create(batch)
                story_tags = {story.pk: rng.sample(tags, 3) for story in created}
                TaggedItem.objects.bulk_create(
                    TaggedItem(content_type=content_type, object_id=pk, tag=tag)
                    for pk, chosen in story_tags.items()
                    for tag in chosen
                )
                Byline.objects.bulk_create(
                    Byline(article=story, contributor=rng.choice(contributors), position=0)
                    for story in created
                )
                # bulk_create skips save(), which would index the story for search.
                for story in created:
                    search.index_story(story, [tag.name for tag in story_tags[story.pk]])
            progress.add(size)

    def reviews(self, rng, count):
        progress = Progress("reviews", count)
        # Reviews cluster on recent published stories, as readers do.
        story_ids = list(
            Article.objects.published().order_by("-published_at").values_list("pk", flat=True)
        )
        hot = story_ids[: max(1, len(story_ids) // 10)]
        now = timezone.now()
        statuses = [Comment.Status.APPROVED] * 8 + [Comment.Status.PENDING, "rejected"]
        for offset in range(0, count, BATCH):
            size = min(BATCH, count - offset)
            Comment.objects.bulk_create(
                Comment(
                    article_id=rng.choice(hot if rng.random() < 0.7 else story_ids),
                    author_name=f"Reader {rng.randrange(50_000)}",
                    email=f"reader{rng.randrange(50_000)}@example.com",
                    body=sentence(rng, 25) + ".",
                    status=rng.choice(statuses),
                    ip_hash=f"{rng.getrandbits(64):016x}",
                    created_at=now - timedelta(minutes=rng.randrange(60 * 24 * 365)),
                )
                for _ in range(size)
            )
            progress.add(size)
