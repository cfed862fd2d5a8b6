"""One WordPress import: ``wordpress_import()`` reads the export twice, streaming.

The first pass imports the pictures and plans every post (its section, slug and new
address), so that the second can rewrite links between posts whichever comes first in
the file. The second pass writes the stories in batches with bulk queries: their
bylines, tags, reviews and old addresses. Every row is keyed by its WordPress id
(``wordpress.models``), so a second run changes nothing and a newer export updates only
the posts WordPress changed and nobody edited in Newsroom since.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article
from articles.search_index import index_story
from articles.text import slug_from_headline, unique_slug
from core.cache import invalidate_everything

from .content import BodyConverter, title_from_body, title_text
from .models import ImportedStory
from .paths import old_path, site_key
from .pictures import PictureLibrary
from .report import Report
from .reviews import ReviewWriter
from .sections import SectionPlanner
from .writer import StoryWriter
from .wxr import Channel, read_export

BATCH = 500
STORY_TYPES = {"post", "page"}
STATUSES = {
    "publish": Article.Status.PUBLISHED,
    "future": Article.Status.PUBLISHED,
    "draft": Article.Status.DRAFT,
    "auto-draft": Article.Status.DRAFT,
    "private": Article.Status.DRAFT,
    "pending": Article.Status.REVIEW,
}


@dataclass
class Plan:
    section: object
    slug: str
    record: object  # ImportedStory, or None for a new story


def language_of(channel_language, chosen):
    if chosen:
        return chosen
    code = (channel_language or "").split("-")[0].lower()
    return code if code in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE[:2]


def source_hash(item):
    parts = [item.title, item.content, item.excerpt, item.status, str(item.date), item.slug,
             item.password, item.creator, repr(item.categories), repr(item.tags),
             item.meta.get("_thumbnail_id", "")]  # fmt: skip
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def wordpress_import(*, path, media_dir=None, language=None, section_map=None,
                     dry_run=False, progress=None):  # fmt: skip
    """Import the export at ``path``; returns the ``Report``. With ``dry_run`` everything
    is done, so the report is the real one, inside a transaction that is then rolled
    back; no picture file is written (pictures are checked, not stored).
    ``progress(iterable, total)`` wraps the second pass (a progress bar)."""
    with transaction.atomic():
        run = ImportRun(path=path, media_dir=media_dir, language=language,
                        section_map=section_map or {}, dry_run=dry_run)  # fmt: skip
        run.plan()
        run.write(progress or (lambda items, total: items))
        if dry_run:
            transaction.set_rollback(True)
        else:
            run.finish()
    return run.report


class ImportRun:
    def __init__(self, *, path, media_dir, language, section_map, dry_run):
        self.path, self.media_dir, self.dry_run = path, media_dir, dry_run
        self.chosen_language, self.section_map = language, section_map
        self.report, self.channel = Report(), Channel()
        self.plans, self.links, self.total = {}, {}, 0
        self.touched = []

    def plan(self):
        items = read_export(self.path, self.channel)
        first = next(items, None)
        self.site = site_key(self.channel.link)
        self.language = language_of(self.channel.language, self.chosen_language)
        self.pictures = PictureLibrary(site=self.site, media_dir=self.media_dir,
                                       language=self.language, report=self.report,
                                       dry_run=self.dry_run)  # fmt: skip
        self.sections = SectionPlanner(channel=self.channel, section_map=self.section_map)
        # Without the stories' text: memory stays small however big the archive.
        imported = (
            ImportedStory.objects.filter(site=self.site)
            .select_related("article__section")
            .defer("article__body", "article__lead", "article__search_vector")
        )
        records = {record.wp_id: record for record in imported}
        self.slugs = set(
            Article.objects.filter(language=self.language).values_list("slug", flat=True)
        )
        for item in [first] if first else []:
            self.plan_item(item, records)
        for item in items:
            self.plan_item(item, records)

    def plan_item(self, item, records):
        if item.post_type == "attachment":
            self.pictures.add(item)
            return
        if item.post_type not in STORY_TYPES or item.status not in STATUSES:
            return
        record = records.get(item.wp_id)
        if record is not None:
            article = record.article
            plan = Plan(article.section, article.slug, record)
        else:
            section = self.sections.section_for(item)
            if section is None:
                return
            # WordPress percent-encodes a Cyrillic post_name; transliterate its letters.
            base = slug_from_headline(unquote(item.slug) or title_text(item.title))
            slug = unique_slug(base[:90] or f"post-{item.wp_id}", self.slugs.__contains__)
            self.slugs.add(slug)
            plan = Plan(section, slug, None)
        self.plans[item.wp_id] = plan
        self.total += 1
        if item.status in {"publish", "future"} and not item.password:
            with translation.override(self.language):
                new = reverse(
                    "articles:story", kwargs={"section": plan.section.slug, "slug": plan.slug}
                )
            for path in old_paths(item):
                self.links[path] = new

    def write(self, progress):
        writer = StoryWriter(
            site=self.site,
            language=self.language,
            authors=self.channel.authors,
            report=self.report,
        )
        reviews = ReviewWriter(site=self.site, report=self.report)
        converter = BodyConverter(pictures=self.pictures.by_key,
                                  pictures_by_id=self.pictures.by_id, links=self.links,
                                  old_path=old_path, host=self.site.split("/")[0]
                                  .removeprefix("www."))  # fmt: skip
        batch = []
        for item in progress(self.story_items(), self.total):
            batch.append(self.story_from(item, converter))
            if len(batch) >= BATCH:
                self.touched += writer.write(batch, reviews)
                batch = []
        self.touched += writer.write(batch, reviews)

    def story_items(self):
        for item in read_export(self.path, Channel()):
            if item.post_type in STORY_TYPES and item.wp_id in self.plans:
                yield item
            elif item.post_type == "page" and item.status in STATUSES:
                self.report.skip("pages", item.wp_id, "no “page” entry in --section-map")
            elif item.post_type in STORY_TYPES:
                self.report.count(f"{item.post_type}s skipped (status “{item.status}”)")
            elif item.post_type != "attachment":
                self.report.count(f"{item.post_type} items skipped (not a post or page)")

    def story_from(self, item, converter):
        plan = self.plans[item.wp_id]
        converted = converter.convert(item.content, item.excerpt)
        headline = title_text(item.title)
        if not headline:
            headline = title_from_body(converted.body) or f"Untitled post {item.wp_id}"
            self.report.note(item.wp_id, f"no title; headline made from its text: {headline}")
        for note in dict.fromkeys(converted.notes):
            self.report.note(item.wp_id, note)
        for url in dict.fromkeys(converted.missing_pictures):
            self.report.note(item.wp_id, f"picture not found locally, dropped: {url}")
        status = STATUSES[item.status]
        published_at = item.date or timezone.now()
        if item.password:
            status = Article.Status.DRAFT
            self.report.note(item.wp_id, "password-protected: imported as a draft")
        return Story(item=item, plan=plan, headline=headline, body=converted.body,
                     lead=converted.lead, status=status, published_at=published_at,
                     hash=source_hash(item), lead_image=self.lead_image(item),
                     old_paths=old_paths(item))  # fmt: skip

    def lead_image(self, item):
        thumbnail = item.meta.get("_thumbnail_id", "")
        image = self.pictures.images.get(int(thumbnail)) if thumbnail.isdigit() else None
        if image is not None and not image.alt_for(self.language):
            self.report.note(item.wp_id, "featured image has no alt text: not the lead image")
            return None
        return image

    def finish(self):
        """Search index, planner statistics and page caches, once everything is written."""
        for start in range(0, len(self.touched), BATCH):
            chunk = self.touched[start : start + BATCH]
            for article in Article.objects.filter(pk__in=chunk).prefetch_related("tags"):
                # The prefetched tags: update_search_vector() would ask for them again.
                index_story(article, [tag.name for tag in article.tags.all()])
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        # Bulk writes skip the models' own invalidation, and an import touches most lists:
        # every cached page goes, here and at the edges, once.
        invalidate_everything()


@dataclass
class Story:
    item: object
    plan: Plan
    headline: str
    body: str
    lead: str
    status: str
    published_at: datetime
    hash: str
    lead_image: object
    old_paths: list


def old_paths(item):
    """Every address the post answered at on the old site, as ``paths.old_path`` writes
    them: its link, ``?p=`` (``?page_id=`` for pages), and its link with each old slug."""
    link = old_path(item.link) if item.link else ""
    paths = {link, f"/?p={item.wp_id}"}
    if item.post_type == "page":
        paths.add(f"/?page_id={item.wp_id}")
    segments = [s for s in link.split("/") if s]
    if segments and "?" not in link:
        paths.update("/" + "/".join([*segments[:-1], old]) for old in item.old_slugs if old)
    paths.discard("")
    return sorted(paths)
