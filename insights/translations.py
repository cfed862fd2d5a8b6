"""The translation status board: which languages a story has, lacks, and lets fall behind.

A translation group's **source** is its first story (the lowest id): ``article_translate``
copies a story into a new draft, so the others come later. A translation is **out of
date** when the source's headline, lead or body in its latest stored revision differs from
the revision that was current when the translation was last saved, or the revision an
editor marked it checked against, whichever is later. The board reads a fixed number of
queries for a page of groups, whatever their sizes or histories.
"""

import json
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from articles.models import Article
from articles.revisions import story_versions
from articles.text_diff import block_diff, html_blocks, text_blocks

from .models import TranslationCheck

PAGE = 30
TEXT_FIELDS = ("headline", "lead", "body")
AGES = {"7": 7, "30": 30, "365": 365}  # the age filter's choices, in days


@dataclass
class Row:
    source: Article
    latest: object = None  # the source's latest stored revision
    translations: list = field(default_factory=list)  # [(story, base version or None)]
    missing: list = field(default_factory=list)  # [(code, name)]

    def out_of_date(self):
        """``[(translation, changed text fields)]`` whose source text moved on."""
        return [
            (story, changed_fields(base, self.latest))
            for story, base in self.translations
            if base is not None
            and self.latest is not None
            and text_of(base) != text_of(self.latest)
        ]


def text_of(version):
    """The headline, lead and body a stored revision holds, read from its JSON alone:
    ``Version.field_dict`` would also load the story's relations, a query per revision."""
    data = json.loads(version.serialized_data)[0]["fields"]
    return tuple(data.get(name) or "" for name in TEXT_FIELDS)


def changed_fields(older, newer):
    """The source's changed text as word-level blocks (``articles.text_diff``)."""
    changes = []
    for name, old, new in zip(TEXT_FIELDS, text_of(older), text_of(newer), strict=True):
        if old != new:
            read = html_blocks if name == "body" else text_blocks
            label = Article._meta.get_field(name).verbose_name
            changes.append((label, block_diff(read(old), read(new))))
    return changes


def sources(*, section=None, age=None, now=None):
    """The first story of each translation group, newest first."""
    earlier = Article.objects.filter(
        translation_group=OuterRef("translation_group"), pk__lt=OuterRef("pk")
    )
    stories = Article.objects.filter(~Exists(earlier)).select_related("section")
    if section:
        stories = stories.filter(section_id=section)
    if age in AGES:
        stories = stories.filter(
            created_at__gte=(now or timezone.now()) - timedelta(days=AGES[age])
        )
    return stories.order_by("-created_at", "-pk")


def board(page_sources, *, language=None):
    """Rows for one page of sources: four queries (translations with their checks, the
    sources' revision dates, the few revisions compared)."""
    rows = {story.translation_group: Row(story) for story in page_sources}
    translations = (
        Article.objects.filter(translation_group__in=list(rows))
        .exclude(pk__in=[row.source.pk for row in rows.values()])
        .select_related("translation_check__source_version__revision")
        .order_by("language")
    )
    for story in translations:
        rows[story.translation_group].translations.append([story, None])
    history = {}
    for version in (
        story_versions()
        .filter(object_id__in=[str(row.source.pk) for row in rows.values()])
        .select_related("revision")
        .only("pk", "object_id", "revision__date_created")
        .order_by("pk")
    ):
        history.setdefault(int(version.object_id), []).append(version)
    wanted = {}
    for row in rows.values():
        versions = history.get(row.source.pk, [])
        row.latest = versions[-1].pk if versions else None
        for pair in row.translations:
            pair[1] = _base(pair[0], versions)
        wanted.update({pk: None for pk in [row.latest] + [p[1] for p in row.translations] if pk})
    full = story_versions().in_bulk(list(wanted))
    for row in rows.values():
        row.latest = full.get(row.latest)
        row.translations = [(story, full.get(base)) for story, base in row.translations]
        have = {row.source.language, *(story.language for story, _base in row.translations)}
        row.missing = [(code, name) for code, name in settings.LANGUAGES if code not in have]
    result = list(rows.values())
    if language:
        result = [
            row for row in result
            if (language in dict(row.missing))
            or any(story.language == language for story, _c in row.out_of_date())
        ]  # fmt: skip
    return result


def _base(translation, versions):
    """The id of the source revision ``translation`` is known to follow, or None."""
    since = translation.updated_at
    check = getattr(translation, "translation_check", None)
    if check is not None and check.source_version.revision.date_created > since:
        return check.source_version_id
    before = [v for v in versions if v.revision.date_created <= since]
    return before[-1].pk if before else None


@transaction.atomic
def translation_check(*, translation, source_version, user):
    """Record that ``user`` checked ``translation`` against ``source_version``."""
    TranslationCheck.objects.update_or_create(
        translation=translation,
        defaults={"source_version": source_version, "checked_by": user,
                  "checked_at": timezone.now()},
    )  # fmt: skip
