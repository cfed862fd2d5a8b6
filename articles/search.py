"""Story search: the one module that knows how each database searches text.

* **PostgreSQL**: ``Article.search_vector`` holds a weighted ``tsvector`` (headline A, lead
  and tag names B, body C) built with the story language's text search configuration
  (``english``, ``russian``, ``simple`` for Azerbaijani, which PostgreSQL has no stemmer
  for), with a GIN index. Queries go through ``websearch_to_tsquery``, so any reader input
  is valid; ``ts_rank`` orders and ``ts_headline`` marks the hits.
* **SQLite**: an FTS5 table ``articles_article_fts`` (one row per story, ``rowid`` = story id)
  with the same four columns; ``bm25()`` with column weights orders, ``highlight()`` and
  ``snippet()`` mark the hits. FTS5 has no Russian or Azerbaijani stemmer: words match as
  written (case and accents folded, English stemmed by the Porter tokenizer), and the last
  word of the query also matches as a prefix, so "экономик" finds "экономики".
* **SQLite without FTS5** (a rare build): a plain ``icontains`` search on the same fields,
  headline matches first, without highlighting.

A query as broad as "news" can match most of the archive, and ranking every match costs
time in proportion (p95 400 ms at 20,000 stories, docs/performance.md). Only the newest
``settings.SEARCH_MAX_MATCHES`` matches are ranked: newest first is cheap to find with the
publication-time index, and a reader who gets that many is told so and asked to add a word.

Either way the index is written when a story is saved (``Article.update_search_vector``),
never when a reader searches, and ``manage.py rebuild_search_index`` rewrites it. Writing
it is ``articles/search_index.py``'s job; this module holds the queries, and the signal
receivers below keep the index right when tags change or a story is deleted (connected in
``ArticlesConfig.ready()``, as ``wagtail/search/signal_handlers.py`` does, so the models
never import the indexer's receivers). Bulk changes (a tag renamed or merged) are
re-indexed by a worker (``reindex_stories``).
"""

import re
import unicodedata

from django.conf import settings
from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connections, models
from django.db.models import Case, F, Func, Q, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce, Concat, Left, Replace
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django_tasks import task
from taggit.models import Tag, TaggedItem

from core.tasks import enqueue_on_commit, retried

from .models import Article

# The writing half lives in search_index.py (it imports no model, so the models can use
# it); these names stay reachable here for the commands and scripts that index stories.
from .search_index import (  # noqa: F401
    FTS_TABLE,
    SEARCH_CONFIGS,
    forget_story,
    index_story,
    rebuild_index,
    sqlite_has_fts5,
)

MAX_QUERY_LENGTH = 200
# A reader cannot make one query do unbounded work by typing hundreds of words.
MAX_QUERY_WORDS = 12
# Column weights for bm25(), in FTS_TABLE's column order: headline, lead, body, tags.
FTS_WEIGHTS = (10.0, 4.0, 1.0, 4.0)

# The database marks hits with these private-use characters, not with HTML: the text around
# them is escaped in Python (see ``marked``) and only then do they become <mark> tags.
HIT_START, HIT_STOP = "\ue000", "\ue001"
_HIT = re.compile(f"{HIT_START}([^{HIT_START}{HIT_STOP}]*){HIT_STOP}")
_UNPRINTABLE_CATEGORIES = {"Cc", "Cf", "Cs", "Co", "Cn"}


def clean_query(raw):
    """What a reader typed, made safe to search for: no control or invisible characters
    (a NUL byte cannot even be sent to PostgreSQL), single spaces, at most
    ``MAX_QUERY_LENGTH`` characters. Returns ``(query, was_shortened)``."""
    text = "".join(
        " " if unicodedata.category(char) in _UNPRINTABLE_CATEGORIES else char
        for char in raw or ""
    )
    text = " ".join(text.split())
    return text[:MAX_QUERY_LENGTH].strip(), len(text) > MAX_QUERY_LENGTH


def query_words(query):
    return re.findall(r"\w+", query)[:MAX_QUERY_WORDS]


class Plan:
    """How this database searches for a query: ``matches`` (the published stories in the
    language that match), ``rank`` (higher is better) and ``marks`` (the annotations
    ``headline_marked`` and ``excerpt_marked``, text with hit sentinels)."""

    def __init__(self, query, language):
        stories = Article.objects.published().in_language(language).for_listing()
        self.stories = stories
        vendor = connections[stories.db].vendor
        if not query_words(query):
            self.matches, self.rank, self.marks = stories.none(), Value(0.0), {}
        elif vendor == "postgresql":
            config = SEARCH_CONFIGS.get(language, "simple")
            self.matches, self.rank, self.marks = _search_postgres(stories, query, config)
        elif vendor == "sqlite" and sqlite_has_fts5():
            self.matches, self.rank, self.marks = _search_fts5(stories, query)
        else:
            self.matches, self.rank, self.marks = search_by_substring(stories, query)

    def ranked_ids(self):
        """The ids of the newest ``SEARCH_MAX_MATCHES`` matches, best first, in one query:
        they are ranked as they are found (newest first, cheap on the publication-time
        index), not found first and looked up again to be ranked."""
        rows = (
            self.matches.annotate(search_rank=self.rank)
            .order_by("-published_at", "-pk")
            .values_list("pk", "search_rank")[: settings.SEARCH_MAX_MATCHES]
        )
        # A stable sort: of two stories ranked alike, the newer stays first.
        return [pk for pk, _rank in sorted(rows, key=lambda row: -row[1])]

    def marked_stories(self, ids):
        """The stories ``ids`` with their hits marked and what a result shows (no picture);
        their text and index are read by the database to mark them, not sent here."""
        found = Article.objects.published().filter(pk__in=ids).select_related("section")
        return found.annotate(**self.marks).defer("body", "search_vector")


class SearchResults:
    """The matches of a query for a paginator: ranked once, as ids alone, and a page of
    them fetched with its marked headlines and excerpts, which only that page's stories
    pay for (marking is the costly part: it reads each story's text again). Two queries
    per page, as counting then fetching would be, without finding the matches twice."""

    def __init__(self, query, language):
        self.plan = Plan(query, language)
        self.ids = self.plan.ranked_ids()

    def count(self):
        return len(self.ids)

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, page):
        ids = self.ids[page]
        found = {story.pk: story for story in self.plan.marked_stories(ids)}
        return [found[pk] for pk in ids if pk in found]


def search_stories(query, language):
    """Every ranked match of ``query`` (already ``clean_query``-ed) among the published
    stories in ``language``, best first, with ``headline_marked`` and ``excerpt_marked``
    (render them with the ``marked`` filter)."""
    results = SearchResults(query, language)
    return results[: len(results)]


def marked(text):
    """``text`` with its hit sentinels as <mark> elements and everything else escaped."""
    highlighted = _HIT.sub(r"<mark>\1</mark>", escape(text))
    # A stray sentinel (typed into a story, say) is dropped rather than shown.
    return mark_safe(highlighted.replace(HIT_START, "").replace(HIT_STOP, ""))  # noqa: S308


def _search_postgres(stories, query, config):
    search_query = SearchQuery(query, search_type="websearch", config=config)

    def marked_text(html, **options):
        # ts_headline reads HTML: it drops tags and keeps entities. So plain fields go in
        # escaped, and the entities of what comes out are decoded.
        return _replace_all(
            SearchHeadline(
                html, search_query, config=config, start_sel=HIT_START, stop_sel=HIT_STOP,
                **options,
            ),
            HTML_UNESCAPES,
        )  # fmt: skip

    matches = stories.filter(search_vector=search_query)
    # The excerpt comes from the lead and the opening of the body, where a news story says
    # what happened: ts_headline parses and stems every word it is given (about half a
    # millisecond per story of 400 words here), so a page of long reads would cost in
    # proportion to their length. A tag cut in two at the end is dropped.
    opening = RegexpReplace(Left("body", EXCERPT_FROM_CHARACTERS), r"<[^>]*$", "")
    marks = {
        "headline_marked": marked_text(_replace_all("headline", HTML_ESCAPES), highlight_all=True),
        "excerpt_marked": marked_text(
            Concat(_replace_all("lead", HTML_ESCAPES), Value(" "), opening, output_field=TEXT),
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        ),
    }
    return matches, SearchRank(F("search_vector"), search_query), marks


# The only entities nh3's serialiser writes in text (every saved body went through it), and
# the ones the lead is escaped with; "&amp;" is decoded last so "&amp;lt;" stays "&lt;".
HTML_ESCAPES = [("&", "&amp;"), ("<", "&lt;"), (">", "&gt;")]
HTML_UNESCAPES = [("&lt;", "<"), ("&gt;", ">"), ("&nbsp;", "\xa0"), ("&amp;", "&")]
TEXT = models.TextField()
# How much of the body the excerpt of a result is chosen from (PostgreSQL).
EXCERPT_FROM_CHARACTERS = 1500


class RegexpReplace(Func):
    function = "REGEXP_REPLACE"
    output_field = TEXT

    def __init__(self, expression, pattern, replacement):
        super().__init__(expression, Value(pattern), Value(replacement))


def _replace_all(expression, replacements):
    for old, new in replacements:
        expression = Replace(expression, Value(old), Value(new), output_field=TEXT)
    return expression


def fts5_query(query):
    """FTS5 MATCH syntax for a reader's words: each quoted (so no input is an FTS syntax
    error: ``NEAR(``, ``a OR``, ``*``, quotes), all required, the last one also as a prefix
    (results appear while a word is still being typed)."""
    terms = [f'"{word}"' for word in query_words(query)]
    terms[-1] += "*"
    return " AND ".join(terms)


def _search_fts5(stories, query):
    # The SQL is built from constants only; the reader's words travel as parameters.
    match = fts5_query(query)
    fts = FTS_TABLE
    per_story = f"FROM {fts} WHERE {fts} MATCH %s AND rowid = {stories.model._meta.db_table}.id"
    weights = ", ".join(map(str, FTS_WEIGHTS))
    body_snippet = f"snippet({fts}, 2, %s, %s, ' … ', 30)"
    sentinels = [HIT_START, HIT_STOP]
    matches = stories.filter(
        pk__in=RawSQL(f"SELECT rowid FROM {fts} WHERE {fts} MATCH %s", [match])  # noqa: S608, S611
    )
    # bm25() is lower for better matches; negated, it sorts like PostgreSQL's rank.
    rank = RawSQL(f"SELECT -bm25({fts}, {weights}) {per_story}", [match])  # noqa: S611
    marks = {
        "headline_marked": RawSQL(  # noqa: S611
            f"SELECT highlight({fts}, 0, %s, %s) {per_story}", [*sentinels, match]
        ),
        # The hit in the body if there is one there, else the lead (marked where it hits).
        "excerpt_marked": RawSQL(  # noqa: S611
            f"SELECT CASE WHEN instr({body_snippet}, %s) THEN {body_snippet} "
            f"ELSE highlight({fts}, 1, %s, %s) END {per_story}",
            [*sentinels, HIT_START, *sentinels, *sentinels, match],
        ),
    }
    return matches, rank, marks


def search_by_substring(stories, query):
    """The fallback for an SQLite built without FTS5: every word must appear somewhere
    (case-insensitively for ASCII only, as SQLite's LIKE is), headline matches first."""
    words = query_words(query)
    for word in words:
        stories = stories.filter(
            Q(headline__icontains=word)
            | Q(lead__icontains=word)
            | Q(body__icontains=word)
            | Q(pk__in=stories.model.objects.filter(tags__name__icontains=word).values("pk"))
        )
    in_headline = Q(*(Q(headline__icontains=word) for word in words))
    in_lead = Q(*(Q(lead__icontains=word) for word in words))
    rank = Case(
        When(in_headline, then=Value(3.0)),
        When(in_lead, then=Value(2.0)),
        default=Value(1.0),
    )
    return stories, rank, {"headline_marked": F("headline"), "excerpt_marked": F("lead")}


# Words of four letters or more (no digits), few enough to keep the query cheap: what a
# story's headline and lead are about, for finding stories like it.
_SIGNIFICANT = re.compile(r"[^\W\d_]{4,}")
MAX_SIMILAR_WORDS = 24


def significant_words(story):
    """The distinct words of ``story``'s headline and lead that say what it is about."""
    words = _SIGNIFICANT.findall(f"{story.headline} {story.lead}".lower())
    return list(dict.fromkeys(words))[:MAX_SIMILAR_WORDS]


def with_text_similarity(stories, story):
    """``stories`` annotated with ``text_similarity``: how well each matches any of
    ``story``'s significant words on the stored index (more is closer, 0 for no match;
    comparable between the stories of one query only). For automatic related stories.

    PostgreSQL ranks the search vector against the words joined by "or" (the story
    language's configuration drops stop words and stems); SQLite's FTS5 gives bm25
    over the same table search uses; without FTS5 every story scores 0 (tags and
    section still count, see ``articles.related``)."""
    words = significant_words(story)
    vendor = connections[stories.db].vendor
    if words and vendor == "postgresql":
        # Letters only, so the words joined by "|" are always valid tsquery syntax.
        query = SearchQuery(
            " | ".join(words),
            search_type="raw",
            config=SEARCH_CONFIGS.get(story.language, "simple"),
        )
        similarity = Coalesce(SearchRank(F("search_vector"), query), 0.0)
    elif words and vendor == "sqlite" and sqlite_has_fts5():
        fts = FTS_TABLE
        similarity = Coalesce(
            RawSQL(  # noqa: S611 (constants only; the words travel as a parameter)
                f"SELECT -bm25({fts}) FROM {fts} WHERE {fts} MATCH %s "  # noqa: S608
                f"AND rowid = {stories.model._meta.db_table}.id",
                [" OR ".join(f'"{word}"' for word in words)],
                output_field=models.FloatField(),
            ),
            0.0,
        )
    else:
        similarity = Value(0.0)
    return stories.annotate(text_similarity=similarity)


# Signal receivers: the index follows writes that do not go through ``Article.save()``.


def reindex_on_tag_change(sender, instance, action, pk_set, **kwargs):
    """``article.tags.add()`` and the admin's ``save_related`` never call ``save()``."""
    changed = action == "post_clear" or (action in {"post_add", "post_remove"} and pk_set)
    if changed and isinstance(instance, Article):
        instance.update_search_vector()


def reindex_on_tag_rename(sender, instance, created, **kwargs):
    """A renamed tag changes the text of every story that carries it: a worker rewrites
    their index entries (a tag on thousands of stories would hold the editor's save)."""
    if not created:
        reindex_stories_on_commit(Article.objects.filter(tags=instance))


def reindex_stories_on_commit(stories):
    ids = list(stories.values_list("pk", flat=True))
    if ids:
        enqueue_on_commit(reindex_stories, ids)


@task()
@retried
def reindex_stories(ids):
    """Rewrite the search index entries of the stories ``ids`` (after a bulk change such as
    a tag rename or merge). Idempotent: an entry is rebuilt from the story as it is now."""
    for article in Article.objects.filter(pk__in=ids).prefetch_related("tags"):
        article.update_search_vector()
    return len(ids)


def forget_deleted_story(sender, instance, using, **kwargs):
    forget_story(instance.pk, using=using)


def register_signal_handlers():
    """Connect the receivers (from ``ArticlesConfig.ready()``; the uids make it idempotent)."""
    m2m_changed.connect(
        reindex_on_tag_change, sender=TaggedItem, dispatch_uid="articles_reindex_on_tags"
    )
    post_save.connect(
        reindex_on_tag_rename, sender=Tag, dispatch_uid="articles_reindex_on_tag_rename"
    )
    post_delete.connect(
        forget_deleted_story, sender=Article, dispatch_uid="articles_forget_deleted"
    )
