from datetime import UTC, datetime, timedelta
from xml.etree import ElementTree

import feedparser
import pytest
import time_machine
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.html import escape
from taggit.models import Tag

from articles.feeds import FEED_SIZE
from articles.images import card_rendition
from articles.models import Article
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    ImageFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

LANGUAGES = ["en", "ru", "az"]
FORMATS = {"rss": "", "atom": "_atom"}


def feed_url(page, language="en", fmt="rss", **kwargs):
    name = {"home": "feed"}.get(page, f"{page}_feed") + FORMATS[fmt]
    with translation.override(language):
        return reverse(f"articles:{name}", kwargs=kwargs)


def read_feed(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parsed = feedparser.parse(response.content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    return parsed


@pytest.fixture
def economics():
    return SectionFactory(name="Economics", name_ru="Экономика", name_az="İqtisadiyyat",
                          slug="economics")  # fmt: skip


@pytest.fixture
def reporter():
    return ContributorFactory(name="Aysel Mammadova", slug="aysel-mammadova")


def make_story(section, reporter, language="en", **kwargs):
    story = ArticleFactory(
        language=language,
        section=section,
        lead="The presidents toured the town.",
        lead_image=ImageFactory(alt_text_ru="Стройка", alt_text_az="Tikinti"),
        tags=["Fizuli", "Reconstruction"],
        **kwargs,
    )
    BylineFactory(article=story, contributor=reporter)
    return story


def kwargs_for(page, reporter):
    return {
        "home": {},
        "section": {"section": "economics"},
        "tag": {"tag": "fizuli"},
        "author": {"slug": reporter.slug},
    }[page]


class TestFeedsAreValid:
    @pytest.mark.parametrize("fmt", ["rss", "atom"])
    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("page", ["home", "section", "tag", "author"])
    def test_every_feed_parses_and_lists_only_its_language(
        self, client, economics, reporter, page, language, fmt
    ):
        mine = make_story(economics, reporter, language=language)
        other = make_story(economics, reporter, language="ru" if language != "ru" else "en")
        feed = read_feed(client, feed_url(page, language, fmt, **kwargs_for(page, reporter)))
        assert feed.version == ("rss20" if fmt == "rss" else "atom10")
        assert feed.feed.language == language
        links = [entry.link for entry in feed.entries]
        assert links == [f"http://testserver{mine.get_absolute_url()}"]
        assert f"http://testserver{other.get_absolute_url()}" not in links

    def test_tag_with_a_cyrillic_slug_has_a_feed(self, client, economics):
        story = ArticleFactory(section=economics, language="ru", tags=["Физули"])
        feed = read_feed(client, feed_url("tag", "ru", tag="физули"))
        assert [entry.title for entry in feed.entries] == [story.headline]
        assert feed.feed.link == "http://testserver/ru/tags/%D1%84%D0%B8%D0%B7%D1%83%D0%BB%D0%B8/"

    def test_unknown_section_tag_or_author_has_no_feed(self, client):
        assert client.get(feed_url("section", section="nowhere")).status_code == 404
        assert client.get(feed_url("tag", tag="nothing")).status_code == 404
        assert client.get(feed_url("author", slug="nobody")).status_code == 404


class TestFeedItems:
    @pytest.mark.parametrize("fmt", ["rss", "atom"])
    def test_item_carries_title_link_summary_authors_categories_image_and_dates(
        self, client, economics, reporter, fmt
    ):
        story = make_story(economics, reporter, headline="Restoring hope in Fizuli")
        BylineFactory(article=story, contributor=ContributorFactory(name="Ivan Petrov"),
                      role="translator", position=1)  # fmt: skip
        feed = read_feed(client, feed_url("section", fmt=fmt, section="economics"))
        entry = feed.entries[0]
        story.refresh_from_db()
        assert entry.title == "Restoring hope in Fizuli"
        assert entry.link == f"http://testserver{story.get_absolute_url()}"
        assert entry.id == entry.link
        assert entry.summary == "The presidents toured the town."
        assert entry.author == "Aysel Mammadova, Ivan Petrov"
        assert [tag.term for tag in entry.tags] == ["Economics", "Fizuli", "Reconstruction"]
        card = card_rendition(story.lead_image, "16:9")
        (enclosure,) = entry.enclosures
        assert enclosure.href == f"http://testserver{card.url}"
        assert enclosure.href.endswith(".jpg")
        assert enclosure.type == "image/jpeg"
        assert int(enclosure.length) == default_storage.size(card.name) > 0
        published = datetime(*entry.published_parsed[:6], tzinfo=UTC)
        assert published == story.published_at.replace(microsecond=0)
        if fmt == "atom":  # RSS 2.0 has no element for the update time.
            updated = datetime(*entry.updated_parsed[:6], tzinfo=UTC)
            assert updated == story.updated_at.replace(microsecond=0)

    def test_channel_has_the_page_title_link_and_description(self, client, economics, reporter):
        make_story(economics, reporter)
        feed = read_feed(client, feed_url("author", slug=reporter.slug))
        assert feed.feed.title == "Aysel Mammadova · Newsroom"
        assert feed.feed.link == f"http://testserver{reporter.get_absolute_url()}"
        assert feed.feed.description == "Stories by Aysel Mammadova."

    def test_categories_use_the_section_name_in_the_feed_language(
        self, client, economics, reporter
    ):
        make_story(economics, reporter, language="ru")
        feed = read_feed(client, feed_url("home", "ru"))
        assert feed.entries[0].tags[0].term == "Экономика"

    @pytest.mark.parametrize("page", ["section", "tag", "author"])
    def test_channel_description_is_names_as_text_never_as_markup(self, client, page):
        """RSS readers render <channel><description> as HTML, like an item's: a section
        description, a tag name (any journalist makes tags) or an author's name with
        markup must reach them escaped, as the item descriptions do."""
        markup = '<img src=x onerror="alert(1)"><b>Bold</b>'
        section = SectionFactory(slug="markup", description=markup)
        reporter = ContributorFactory(name=markup, slug="markup-author")
        story = make_story(section, reporter)
        story.tags.add(Tag.objects.create(name=markup, slug="markup-tag"))
        url = feed_url(
            page,
            **{"section": {"section": "markup"}, "tag": {"tag": "markup-tag"}}.get(
                page, {"slug": "markup-author"}
            ),
        )
        feed = client.get(url).content
        channel = ElementTree.fromstring(feed).find("channel")  # noqa: S314 (our own feed)
        description = channel.findtext("description")
        assert "<img" not in description and "<b>" not in description
        assert escape(markup) in description

    @pytest.mark.parametrize("fmt", ["rss", "atom"])
    def test_summary_is_the_lead_as_text_never_as_markup(self, client, economics, fmt):
        ArticleFactory(section=economics, lead="Tariffs <b>rise</b> & <script>x()</script>")
        summary = read_feed(client, feed_url("home", fmt=fmt)).entries[0].summary
        assert summary == "Tariffs &lt;b&gt;rise&lt;/b&gt; &amp; &lt;script&gt;x()&lt;/script&gt;"

    def test_story_without_lead_image_has_no_enclosure(self, client, economics):
        ArticleFactory(section=economics)
        assert read_feed(client, feed_url("home")).entries[0].enclosures == []


class TestFeedVisibility:
    def test_drafts_unpublished_and_stories_in_review_never_appear(self, client, economics):
        visible = ArticleFactory(section=economics)
        ArticleFactory(section=economics, draft=True)
        ArticleFactory(section=economics, status=Article.Status.REVIEW)
        ArticleFactory(section=economics, status=Article.Status.UNPUBLISHED)
        for fmt in FORMATS:
            feed = read_feed(client, feed_url("section", fmt=fmt, section="economics"))
            assert [entry.title for entry in feed.entries] == [visible.headline]

    def test_scheduled_story_appears_only_once_its_time_has_come(self, client, economics):
        now = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
        with time_machine.travel(now, tick=False):
            scheduled = ArticleFactory(section=economics, published_at=now + timedelta(hours=2))
            assert read_feed(client, feed_url("home")).entries == []
        with time_machine.travel(now + timedelta(hours=3), tick=False):
            titles = [entry.title for entry in read_feed(client, feed_url("home")).entries]
            assert titles == [scheduled.headline]

    def test_feed_lists_the_latest_thirty_stories_newest_first(self, client, economics):
        now = timezone.now()
        stories = [
            ArticleFactory(section=economics, published_at=now - timedelta(minutes=n))
            for n in range(1, FEED_SIZE + 2)
        ]
        feed = read_feed(client, feed_url("home"))
        assert [entry.title for entry in feed.entries] == [s.headline for s in stories[:30]]
        assert stories[-1].headline not in {entry.title for entry in feed.entries}


class TestFeedQueries:
    """A feed costs the same number of queries for one story as for thirty: bylines,
    contributors and tags are prefetched, not fetched per story."""

    def count_queries(self, client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    @pytest.mark.parametrize("page", ["home", "section", "tag", "author"])
    def test_query_count_does_not_grow_with_the_number_of_stories(
        self, client, economics, reporter, page
    ):
        url = feed_url(page, **kwargs_for(page, reporter))
        make_story(economics, reporter)
        one = self.count_queries(client, url)
        for _n in range(FEED_SIZE - 1):
            make_story(economics, reporter)
        assert len(read_feed(client, url).entries) == FEED_SIZE
        assert self.count_queries(client, url) == one <= 5


class TestFeedDiscovery:
    @pytest.mark.parametrize("page", ["home", "section", "tag", "author"])
    def test_pages_link_their_rss_and_atom_feeds(self, client, economics, reporter, page):
        make_story(economics, reporter)
        kwargs = kwargs_for(page, reporter)
        with translation.override("en"):
            page_url = reverse(f"articles:{page}", kwargs=kwargs)
        html = client.get(page_url).content.decode()
        rss, atom = feed_url(page, fmt="rss", **kwargs), feed_url(page, fmt="atom", **kwargs)
        assert '<link rel="alternate" type="application/rss+xml"' in html
        assert f'href="{rss}"' in html
        assert '<link rel="alternate" type="application/atom+xml"' in html
        assert f'href="{atom}"' in html

    def test_feed_links_follow_the_page_language(self, client, economics, reporter):
        make_story(economics, reporter, language="az")
        with translation.override("az"):
            page_url = reverse("articles:section", kwargs={"section": "economics"})
        html = client.get(page_url).content.decode()
        assert 'title="İqtisadiyyat (RSS)" href="/az/economics/feed/"' in html
