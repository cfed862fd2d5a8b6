"""The search index: how each database stores a story's searchable text.

The writing half of story search (``articles/search.py`` is the reading half and says how
each database searches). It imports no model, so ``articles.models`` can use it (the GIN
index class, ``Article.update_search_vector()``) and migrations can call it with their
historical models, without an import circle.
"""

import functools
import html
import re
import sqlite3
from collections import defaultdict

from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.db import connections, models
from django.db.models import Value
from django.utils.html import strip_tags

SEARCH_CONFIGS = {"en": "english", "ru": "russian", "az": "simple"}
FTS_TABLE = "articles_article_fts"


class SearchVectorIndex(GinIndex):
    """The GIN index on ``search_vector`` where it is used (PostgreSQL).

    On SQLite the column stays empty (FTS5 does the work) and a GIN index cannot be
    created, so the index is an ordinary one there: declaring it on the model, rather than
    creating it by hand in one migration, keeps SQLite's table rebuilds in later migrations
    working.
    """

    def create_sql(self, model, schema_editor, using="", **kwargs):
        if schema_editor.connection.vendor == "postgresql":
            return super().create_sql(model, schema_editor, using=using, **kwargs)
        return models.Index.create_sql(self, model, schema_editor, **kwargs)


# Where one block of text ends and another begins. The editor writes
# "<h2>Background</h2><p>The talks…" with nothing between the blocks, and stripping the
# tags alone would index "BackgroundThe": a space goes before each of these tags first.
_BLOCK_TAG = re.compile(
    r"<(?=/?(?:p|h[1-6]|li|ul|ol|br|div|blockquote|figure|figcaption|table|tr|td|th|hr|pre)\b)",
    re.IGNORECASE,
)


def body_text(body):
    """The words of a story body: tags stripped, blocks kept apart, entities decoded."""
    return html.unescape(strip_tags(_BLOCK_TAG.sub(" <", body or "")))


def index_story(story, tag_names):
    """Write one story's searchable text. ``story`` may be a historical model in a
    migration: only ``pk``, ``language``, ``headline``, ``lead`` and ``body`` are read."""
    connection = connections[story._state.db or "default"]
    if connection.vendor == "postgresql":
        config = SEARCH_CONFIGS.get(story.language, "simple")
        parts = [
            (story.headline, "A"),
            (story.lead, "B"),
            (" ".join(tag_names), "B"),
            (body_text(story.body), "C"),
        ]
        # Escaped, so PostgreSQL's parser never takes "<words like these>" for a tag.
        vector = functools.reduce(
            lambda left, right: left + right,
            (
                SearchVector(Value(html.escape(text, quote=False)), config=config, weight=w)
                for text, w in parts
            ),
        )
        type(story)._default_manager.filter(pk=story.pk).update(search_vector=vector)
    elif connection.vendor == "sqlite" and sqlite_has_fts5():
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT OR REPLACE INTO {FTS_TABLE} (rowid, headline, lead, body, tags) "  # noqa: S608
                "VALUES (%s, %s, %s, %s, %s)",
                [story.pk, story.headline, story.lead, body_text(story.body),
                 " ".join(tag_names)],
            )  # fmt: skip


def forget_story(story_pk, using="default"):
    """Drop a deleted story from the FTS5 table (PostgreSQL's vector goes with the row)."""
    connection = connections[using]
    if connection.vendor == "sqlite" and sqlite_has_fts5():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE} WHERE rowid = %s", [story_pk])  # noqa: S608


def rebuild_index(stories, tagged_items):
    """Index every story in ``stories`` afresh, with tag names from ``tagged_items`` (a
    taggit ``TaggedItem`` queryset). Works with the live models and with a migration's
    historical ones. Returns the number of stories indexed."""
    tags = defaultdict(list)
    for story_id, name in tagged_items.filter(
        content_type__app_label="articles", content_type__model="article"
    ).values_list("object_id", "tag__name"):
        tags[story_id].append(name)
    connection = connections[stories.db]
    if connection.vendor == "sqlite" and sqlite_has_fts5():
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {FTS_TABLE}")  # noqa: S608
    count = 0
    for story in stories.only("pk", "language", "headline", "lead", "body").iterator():
        index_story(story, tags[story.pk])
        count += 1
    return count


def create_fts_table(schema_editor):
    """Create the FTS5 table (migration helper; does nothing on other databases)."""
    if schema_editor.connection.vendor == "sqlite" and sqlite_has_fts5():
        # Porter stems English; unicode61 folds case and accents for every language.
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5("
            "headline, lead, body, tags, tokenize = 'porter unicode61 remove_diacritics 2')"
        )


def drop_fts_table(schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")


@functools.cache
def sqlite_has_fts5():
    """Whether this Python's SQLite library was built with FTS5 (nearly all are)."""
    with sqlite3.connect(":memory:") as probe:
        options = {row[0] for row in probe.execute("PRAGMA compile_options")}
    return "ENABLE_FTS5" in options
