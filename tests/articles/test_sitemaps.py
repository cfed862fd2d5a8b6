import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from lxml import etree

from articles.models import Article
from tests.factories import ArticleFactory, BylineFactory, SectionFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parent.parent / "data"
NS = {
    "sm": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "xhtml": "http://www.w3.org/1999/xhtml",
    "news": "http://www.google.com/schemas/sitemap-news/0.9",
}
URLSET_SCHEMA = etree.XMLSchema(etree.parse(str(DATA / "urlset.xsd")))
INDEX_SCHEMA = etree.XMLSchema(etree.parse(str(DATA / "siteindex.xsd")))
ORIGIN = "http://testserver"


def fetch_xml(client, url, schema=URLSET_SCHEMA):
    """The document at ``url``, parsed and valid against the sitemaps.org schema.

    The schema wants at least one ``<url>``; a sitemap with nothing in it yet (no story
    in the last 48 hours, no tag in Azerbaijani) is Django's empty ``<urlset>``, which
    search engines read as "no pages", so only non-empty documents are validated.
    """
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    document = etree.fromstring(response.content)
    if len(document):
        assert schema.validate(document), schema.error_log
    else:
        assert etree.QName(document).localname == "urlset"
    return document


def locations(document):
    return document.xpath("//sm:loc/text()", namespaces=NS)


def alternates(document, location):
    (url,) = document.xpath(f'//sm:url[sm:loc="{location}"]', namespaces=NS)
    return {
        link.get("hreflang"): link.get("href")
        for link in url.xpath("xhtml:link[@rel='alternate']", namespaces=NS)
    }


def absolute(story):
    return ORIGIN + story.get_absolute_url()


@pytest.fixture
def economics():
    return SectionFactory(name="Economics", slug="economics")


def translations(section, **status_by_language):
    """One story in several languages, sharing a translation group."""
    group = uuid.uuid4()
    return {
        language: ArticleFactory(
            language=language, section=section, translation_group=group, **traits
        )
        for language, traits in status_by_language.items()
    }


class TestSitemapIndex:
    def test_index_lists_every_sitemap_by_absolute_address(self, client):
        document = fetch_xml(client, "/sitemap.xml", schema=INDEX_SCHEMA)
        listed = locations(document)
        for language in ["en", "ru", "az"]:
            assert f"{ORIGIN}/sitemap-stories-{language}.xml" in listed
            assert f"{ORIGIN}/sitemap-tags-{language}.xml" in listed
            assert f"{ORIGIN}/sitemap-authors-{language}.xml" in listed
        assert f"{ORIGIN}/sitemap-sections.xml" in listed
        for location in listed:
            fetch_xml(client, location.removeprefix(ORIGIN))

    def test_index_gives_each_story_sitemap_its_latest_change(self, client, economics):
        ArticleFactory(section=economics)
        latest = ArticleFactory(section=economics)
        document = fetch_xml(client, "/sitemap.xml", schema=INDEX_SCHEMA)
        (lastmod,) = document.xpath(
            f'//sm:sitemap[sm:loc="{ORIGIN}/sitemap-stories-en.xml"]/sm:lastmod/text()',
            namespaces=NS,
        )
        assert datetime.fromisoformat(lastmod) == latest.updated_at


class TestStorySitemaps:
    def test_lists_published_stories_of_its_language_with_lastmod(self, client, economics):
        story = ArticleFactory(section=economics)
        russian = ArticleFactory(section=economics, language="ru")
        document = fetch_xml(client, "/sitemap-stories-en.xml")
        assert locations(document) == [absolute(story)]
        (lastmod,) = document.xpath("//sm:lastmod/text()", namespaces=NS)
        assert lastmod == timezone.localtime(story.updated_at).date().isoformat()
        assert locations(fetch_xml(client, "/sitemap-stories-ru.xml")) == [absolute(russian)]

    def test_drafts_stories_in_review_and_unpublished_stories_never_appear(
        self, client, economics
    ):
        visible = ArticleFactory(section=economics)
        ArticleFactory(section=economics, draft=True)
        ArticleFactory(section=economics, status=Article.Status.REVIEW)
        ArticleFactory(section=economics, status=Article.Status.UNPUBLISHED)
        assert locations(fetch_xml(client, "/sitemap-stories-en.xml")) == [absolute(visible)]

    def test_scheduled_story_appears_only_once_its_time_has_come(self, client, economics):
        now = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
        with time_machine.travel(now, tick=False):
            story = ArticleFactory(section=economics, published_at=now + timedelta(hours=2))
            assert locations(fetch_xml(client, "/sitemap-stories-en.xml")) == []
            assert locations(fetch_xml(client, "/news-sitemap.xml")) == []
        with time_machine.travel(now + timedelta(hours=3), tick=False):
            assert locations(fetch_xml(client, "/sitemap-stories-en.xml")) == [absolute(story)]

    def test_story_lists_its_published_translations_and_x_default(self, client, economics):
        versions = translations(economics, en={}, ru={}, az={})
        expected = {
            "en": absolute(versions["en"]),
            "ru": absolute(versions["ru"]),
            "az": absolute(versions["az"]),
            "x-default": absolute(versions["en"]),
        }
        for language, story in versions.items():
            document = fetch_xml(client, f"/sitemap-stories-{language}.xml")
            assert alternates(document, absolute(story)) == expected

    def test_unpublished_and_scheduled_translations_are_left_out(self, client, economics):
        versions = translations(economics, ru={}, en={"draft": True}, az={"scheduled": True})
        lone = fetch_xml(client, "/sitemap-stories-ru.xml")
        assert alternates(lone, absolute(versions["ru"])) == {}
        # The scheduled time comes: the Azerbaijani version joins.
        versions["az"].published_at = timezone.now() - timedelta(minutes=1)
        versions["az"].save()
        document = fetch_xml(client, "/sitemap-stories-ru.xml")
        links = alternates(document, absolute(versions["ru"]))
        assert set(links) == {"ru", "az", "x-default"}
        assert versions["en"].get_absolute_url() not in "".join(links.values())
        # Without a published English version, x-default is the story itself.
        assert links["x-default"] == absolute(versions["ru"])

    def test_translations_cost_one_query_per_page_whatever_the_number_of_stories(
        self, client, economics
    ):
        def count():
            with CaptureQueriesContext(connection) as queries:
                fetch_xml(client, "/sitemap-stories-en.xml")
            return len(queries)

        translations(economics, en={}, ru={})
        one = count()
        for _n in range(20):
            translations(economics, en={}, ru={}, az={})
        assert len(locations(fetch_xml(client, "/sitemap-stories-en.xml"))) == 21
        assert count() == one <= 3


class TestPageSitemaps:
    def test_sections_in_every_language_with_alternates(self, client, economics):
        SectionFactory(slug="archive", is_active=False)
        document = fetch_xml(client, "/sitemap-sections.xml")
        expected = [f"{ORIGIN}/{language}/economics/" for language in ["en", "ru", "az"]]
        assert locations(document) == expected
        assert alternates(document, expected[1]) == {
            "en": expected[0],
            "ru": expected[1],
            "az": expected[2],
            "x-default": expected[0],
        }

    def test_tags_appear_in_the_languages_of_their_published_stories(self, client, economics):
        ArticleFactory(section=economics, language="ru", tags=["Fizuli"])
        ArticleFactory(section=economics, tags=["Budget"])
        ArticleFactory(section=economics, draft=True, tags=["Secret plan"])
        ArticleFactory(section=economics, scheduled=True, tags=["Embargoed"])
        assert locations(fetch_xml(client, "/sitemap-tags-en.xml")) == [
            f"{ORIGIN}/en/tags/budget/"
        ]
        assert locations(fetch_xml(client, "/sitemap-tags-ru.xml")) == [
            f"{ORIGIN}/ru/tags/fizuli/"
        ]

    def test_tags_with_cyrillic_and_azerbaijani_slugs_get_addresses(self, client, economics):
        ArticleFactory(section=economics, language="az", tags=["Bərpa"])
        assert locations(fetch_xml(client, "/sitemap-tags-az.xml")) == [
            f"{ORIGIN}/az/tags/b%C9%99rpa/"
        ]
        assert client.get("/az/tags/b%C9%99rpa/").status_code == 200

    def test_authors_appear_in_the_languages_of_their_published_stories(self, client, economics):
        byline = BylineFactory(article=ArticleFactory(section=economics, language="az"))
        BylineFactory(article=ArticleFactory(section=economics, language="az"),
                      contributor=byline.contributor)  # fmt: skip
        BylineFactory(article=ArticleFactory(section=economics, draft=True))
        slug = byline.contributor.slug
        assert locations(fetch_xml(client, "/sitemap-authors-az.xml")) == [
            f"{ORIGIN}/az/authors/{slug}/"
        ]
        assert locations(fetch_xml(client, "/sitemap-authors-en.xml")) == []


class TestNewsSitemap:
    def test_lists_the_last_48_hours_in_every_language(self, client, economics):
        now = timezone.now()
        fresh = ArticleFactory(section=economics, published_at=now - timedelta(hours=1))
        russian = ArticleFactory(section=economics, language="ru",
                                 published_at=now - timedelta(hours=47))  # fmt: skip
        ArticleFactory(section=economics, published_at=now - timedelta(days=3))
        ArticleFactory(section=economics, draft=True)
        ArticleFactory(section=economics, scheduled=True)
        document = fetch_xml(client, "/news-sitemap.xml")
        assert locations(document) == [absolute(fresh), absolute(russian)]

    def test_each_story_carries_publication_date_and_title(self, client, economics, settings):
        settings.SITE_NAME = "Caspian Herald"
        story = ArticleFactory(section=economics, language="az", headline="Bakı & Şuşa")
        document = fetch_xml(client, "/news-sitemap.xml")
        (news,) = document.xpath("//news:news", namespaces=NS)

        def text(path):
            return news.xpath(f"{path}/text()", namespaces=NS)[0]

        assert text("news:publication/news:name") == "Caspian Herald"
        assert text("news:publication/news:language") == "az"
        assert datetime.fromisoformat(text("news:publication_date")) == story.published_at
        assert text("news:title") == "Bakı & Şuşa"


class TestRobots:
    def test_keeps_crawlers_out_of_admin_and_previews_and_points_at_sitemaps(self, client):
        response = client.get("/robots.txt")
        assert response.status_code == 200
        assert response["Content-Type"].startswith("text/plain")
        lines = response.content.decode().splitlines()
        assert lines[0] == "User-agent: *"
        assert "Disallow: /admin/" in lines
        assert "Disallow: /*/preview/" in lines
        assert "Sitemap: http://testserver/sitemap.xml" in lines
        assert "Sitemap: http://testserver/news-sitemap.xml" in lines

    def test_sitemap_addresses_follow_the_requested_host(self, client, settings):
        settings.ALLOWED_HOSTS = ["news.example.com"]
        body = client.get("/robots.txt", HTTP_HOST="news.example.com", secure=True).content
        assert b"Sitemap: https://news.example.com/sitemap.xml\n" in body
        assert b"testserver" not in body
