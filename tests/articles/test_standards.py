"""Reader standards: hreflang alternates, the language switcher, structured data, sharing
and the most-read block."""

import json
import re
from datetime import timedelta
from uuid import uuid4

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import StoryViewCount
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def alternates(page):
    return dict(re.findall(r'<link rel="alternate" hreflang="([\w-]+)" href="([^"]+)">', page))


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


@pytest.fixture
def translated():
    """One story in three languages."""
    group = uuid4()
    section = SectionFactory(slug="economics", name="Economics", name_ru="Экономика")
    return {
        language: ArticleFactory(language=language, translation_group=group, section=section)
        for language in ["en", "ru", "az"]
    }


class TestTranslations:
    def test_hreflang_alternates_are_reciprocal_and_absolute(self, client, translated):
        expected = {lang: HOST + story.get_absolute_url() for lang, story in translated.items()}
        for story in translated.values():
            links = alternates(client.get(story.get_absolute_url()).content.decode())
            assert links == {**expected, "x-default": expected["en"]}

    def test_unpublished_translation_is_dropped(self, client, translated):
        translated["az"].status = "draft"
        translated["az"].save()
        links = alternates(client.get(translated["ru"].get_absolute_url()).content.decode())
        assert set(links) == {"en", "ru", "x-default"}

    def test_language_switcher_goes_to_the_translation_or_that_languages_home(
        self, client, translated
    ):
        translated["az"].status = "draft"
        translated["az"].save()
        page = client.get(translated["en"].get_absolute_url()).content.decode()
        switcher = page[page.index('class="languages"') :]
        assert f'href="{translated["ru"].get_absolute_url()}" lang="ru"' in switcher
        assert 'href="/az/" lang="az"' in switcher

    def test_list_pages_have_alternates_in_every_language(self, client, translated):
        links = alternates(client.get("/ru/economics/").content.decode())
        assert links == {
            "en": f"{HOST}/en/economics/",
            "ru": f"{HOST}/ru/economics/",
            "az": f"{HOST}/az/economics/",
            "x-default": f"{HOST}/en/economics/",
        }

    def test_html_lang_is_the_page_language(self, client, translated):
        assert '<html lang="az"' in client.get("/az/").content.decode()


class TestStructuredData:
    @pytest.fixture
    def story(self):
        story = ArticleFactory(
            headline="Restoring hope in Fizuli",
            lead="The presidents toured the town.",
            section=SectionFactory(slug="economics", name="Economics"),
            lead_image=ImageFactory(alt_text="A new school"),
            tags=["Fizuli", "Reconstruction"],
        )
        BylineFactory(article=story, contributor=ContributorFactory(name="Aysel Mammadova"))
        BylineFactory(article=story, contributor=ContributorFactory(name="Ivan Petrov"))
        CorrectionFactory(article=story, text="The date was wrong.")
        return story

    def test_news_article_json_ld_has_every_property(self, client, story):
        page = client.get(story.get_absolute_url()).content.decode()
        story.refresh_from_db()  # The correction moved its "Updated" time on.
        article, crumbs = json_ld(page)
        url = HOST + story.get_absolute_url()
        assert article["@type"] == "NewsArticle"
        assert article["headline"] == "Restoring hope in Fizuli"
        assert article["description"] == "The presidents toured the town."
        assert len(article["image"]) == 3
        assert all(image.startswith(HOST + "/media/renditions/") for image in article["image"])
        assert article["datePublished"] == story.published_at.isoformat()
        assert article["dateModified"] == story.updated_at.isoformat()
        assert [a["name"] for a in article["author"]] == ["Aysel Mammadova", "Ivan Petrov"]
        assert all(a["@type"] == "Person" and a["url"].startswith(HOST) for a in article["author"])
        assert article["publisher"]["@type"] == "NewsMediaOrganization"
        assert article["publisher"]["logo"]["url"].endswith("img/logo.png")
        assert article["inLanguage"] == "en"
        assert article["articleSection"] == "Economics"
        assert article["keywords"] == ["Fizuli", "Reconstruction"]
        assert article["mainEntityOfPage"]["@id"] == url
        assert article["correction"][0]["text"] == "The date was wrong."
        assert crumbs["@type"] == "BreadcrumbList"
        assert [c["item"] for c in crumbs["itemListElement"]] == [
            f"{HOST}/en/",
            f"{HOST}/en/economics/",
            url,
        ]

    def test_json_ld_cannot_be_closed_by_story_text(self, client):
        story = ArticleFactory(headline="</script><script>alert(1)</script>")
        page = client.get(story.get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in page
        assert json_ld(page)[0]["headline"] == "</script><script>alert(1)</script>"

    def test_open_graph_and_twitter_tags(self, client, story):
        page = client.get(story.get_absolute_url()).content.decode()
        meta = dict(re.findall(r'<meta (?:property|name)="([^"]+)" content="([^"]*)">', page))
        assert meta["og:type"] == "article"
        assert meta["og:title"] == story.headline
        assert meta["og:description"] == story.lead
        assert meta["og:image"].startswith(HOST + "/media/renditions/")
        assert meta["og:image:width"] and meta["og:image:height"]
        assert (
            meta["article:published_time"]
            == story.published_at.astimezone(timezone.get_current_timezone()).isoformat()
        )
        assert meta["article:section"] == "Economics"
        assert page.count('property="article:tag"') == 2
        assert meta["twitter:card"] == "summary_large_image"
        assert f'<link rel="canonical" href="{HOST}{story.get_absolute_url()}">' in page
        assert '<meta name="description" content="The presidents toured the town.">' in page

    def test_home_section_and_author_pages_have_their_types(self, client, story):
        contributor = story.bylines.first().contributor
        home = json_ld(client.get("/en/").content.decode())[0]
        assert home["@type"] == "WebSite"
        assert home["potentialAction"]["@type"] == "SearchAction"
        assert "{search_term_string}" in home["potentialAction"]["target"]["urlTemplate"]
        assert json_ld(client.get("/en/economics/").content.decode())[0]["@type"] == (
            "CollectionPage"
        )
        profile = json_ld(client.get(contributor.get_absolute_url()).content.decode())[0]
        assert profile["@type"] == "ProfilePage"
        assert profile["mainEntity"]["name"] == contributor.name

    def test_share_links_are_plain_links(self, client, story):
        page = client.get(story.get_absolute_url()).content.decode()
        for host in ["facebook.com/sharer", "x.com/intent", "t.me/share", "wa.me/", "mailto:?"]:
            assert host in page
        assert '<script src="http' not in page


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


class TestMostRead:
    def beacon(self, client, story, user_agent=BROWSER, address="203.0.113.7"):
        with translation.override(story.language):
            url = reverse("articles:beacon", args=[story.pk])
        return client.post(url, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)

    def test_beacon_counts_and_ranks(self, client):
        popular, quiet = ArticleFactory(headline="Popular"), ArticleFactory(headline="Quiet")
        for n in range(3):
            assert self.beacon(client, popular, address=f"198.51.100.{n}").status_code == 204
        self.beacon(client, quiet)
        assert StoryViewCount.objects.get(article=popular).views == 3
        page = client.get("/en/").content.decode()
        block = page[page.index('id="most-read-title"') :]
        assert block.index("Popular") < block.index("Quiet")

    def test_bots_staff_and_repeat_reads_are_not_counted(self, client):
        story = ArticleFactory()
        self.beacon(client, story, user_agent="Googlebot/2.1 (+http://www.google.com/bot.html)")
        self.beacon(client, story, user_agent="")
        staff = Client()
        staff.force_login(StaffFactory())
        self.beacon(staff, story)
        assert not StoryViewCount.objects.exists()
        self.beacon(client, story)
        self.beacon(client, story)
        assert StoryViewCount.objects.get().views == 1

    def test_unpublished_stories_are_not_counted(self, client):
        self.beacon(client, ArticleFactory(draft=True))
        assert not StoryViewCount.objects.exists()

    def test_old_reads_leave_the_24_hour_list(self, client):
        story = ArticleFactory(headline="Last week")
        StoryViewCount.objects.create(
            article=story, hour=timezone.now() - timedelta(days=3), views=50
        )
        page = client.get("/en/").content.decode()
        day, week = page.split('class="most-read__period"')[1:3]
        assert "Last week" not in day and "Last week" in week

    def test_story_request_writes_nothing(self, client):
        story = ArticleFactory()
        with CaptureQueriesContext(connection) as queries:
            client.get(story.get_absolute_url())
        writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        assert writes == []
        assert (
            f'data-beacon="/en/beacon/{story.pk}/"'
            in client.get(story.get_absolute_url()).content.decode()
        )
