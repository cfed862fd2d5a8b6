"""What machines read on a story page: JSON-LD, OpenGraph and Twitter cards, canonical
links, and plain share links that load nothing from third parties."""

import json
import re

import pytest
from django.utils import timezone

from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    CorrectionFactory,
    ImageFactory,
    SectionFactory,
)

pytestmark = pytest.mark.django_db

HOST = "http://testserver"


def json_ld(page):
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    return [json.loads(block) for block in blocks]


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
