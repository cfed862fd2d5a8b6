from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Byline, RelatedLink, SuggestedStory
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CommentFactory,
    ContributorFactory,
    CorrectionFactory,
    ImageFactory,
    RelatedLinkFactory,
    SectionFactory,
    SocialLinkFactory,
)
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

STORY_PAGE_BUDGET = 8
# Lead story, section blocks, two most-read lists, review counts of every card.
HOME_PAGE_BUDGET = 5
# Count, page, the section/tag/author itself, review counts of every card.
LIST_PAGE_BUDGET = 4


def url(name, language="en", **kwargs):
    with translation.override(language):
        return reverse(f"articles:{name}", kwargs=kwargs)


@pytest.fixture
def economics():
    return SectionFactory(name="Economics", name_ru="Экономика", name_az="İqtisadiyyat",
                          slug="economics")  # fmt: skip


@pytest.fixture
def story(economics):
    story = ArticleFactory(
        section=economics,
        headline="Restoring hope: Presidents inspect reconstruction efforts in Fizuli",
        kicker="State visit",
        lead="The presidents toured the town.",
        body="<p>The second day of the state visit.</p>",
        lead_image=ImageFactory(caption="The new art centre.", credit="Photo desk"),
        tags=["Fizuli", "Reconstruction"],
    )
    BylineFactory(article=story, contributor=ContributorFactory(name="Aysel Mammadova"))
    BylineFactory(
        article=story, contributor=ContributorFactory(name="Ivan Petrov"), role="translator"
    )
    return story


class TestReaderPages:
    def test_root_redirects_by_browser_language(self, client):
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="ru").url == "/ru/"
        assert client.get("/", HTTP_ACCEPT_LANGUAGE="de").url == "/en/"

    def test_home_shows_lead_story_section_blocks_and_news_line(self, client, story):
        older = ArticleFactory(section=story.section, published_at=timezone.now() - timedelta(1))
        SocialLinkFactory(name="Telegram")
        page = client.get(url("home")).content.decode()
        assert story.headline in page
        assert older.headline in page
        assert "News Line" in page and "Follow us on social networks" in page
        assert "Telegram" in page

    def test_story_page_shows_everything_a_reader_expects(self, client, story):
        target = ArticleFactory(
            language="ru",
            headline="Сможет ли Москва сорвать уход Еревана под крыло Запада?",
            section=SectionFactory(slug="video", name="Video"),
        )
        RelatedLinkFactory(article=story, target_article=target, kind=RelatedLink.Kind.VIDEO)
        CorrectionFactory(article=story, text="An earlier version misspelt a name.")
        response = client.get(story.get_absolute_url())
        page = response.content.decode()
        assert response.status_code == 200
        for expected in [
            '<h1 class="story__headline">Restoring hope',
            "State visit",
            "The presidents toured the town.",
            "Reported by",
            "Aysel Mammadova",
            "Translated by",
            "Ivan Petrov",
            "<time datetime=",
            "The new art centre.",
            "Photo desk",
            "The second day of the state visit.",
            'href="/en/tags/fizuli/"',
            "An earlier version misspelt a name.",
            "Video · in Russian",
            'hreflang="ru"',
            "Сможет ли Москва",
            "Leave a review",
        ]:
            assert expected in page, expected
        assert page.count("<h1") == 1

    def test_story_body_scripts_never_reach_the_page(self, client, story):
        story.body = '<p>Hi<script>alert(1)</script><img src=x onerror="alert(2)"></p>'
        story.body += '<a href="javascript:alert(3)">x</a>'
        story.save()
        page = client.get(story.get_absolute_url()).content.decode()
        assert "alert(1)" not in page and "onerror" not in page and "javascript:" not in page

    def test_headline_is_escaped(self, client, economics):
        story = ArticleFactory(section=economics, headline="<script>alert(1)</script> Budget")
        page = client.get(story.get_absolute_url()).content.decode()
        assert "<script>alert(1)" not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt; Budget" in page

    @pytest.mark.parametrize(
        "page",
        ["home", "news_line", "section", "tag", "author", "story"],
    )
    @pytest.mark.parametrize("language", ["en", "ru", "az"])
    def test_every_reader_page_renders_for_anonymous_readers(self, client, page, language):
        section = SectionFactory(slug="economics")
        story = ArticleFactory(language=language, section=section, tags=["Economy"])
        contributor = BylineFactory(article=story).contributor
        kwargs = {
            "home": {},
            "news_line": {},
            "section": {"section": "economics"},
            "tag": {"tag": "economy"},
            "author": {"slug": contributor.slug},
            "story": {"section": "economics", "slug": story.slug},
        }[page]
        response = client.get(url(page, language, **kwargs))
        assert response.status_code == 200
        assert f'<html lang="{language}"' in response.content.decode()
        assert story.headline in response.content.decode()

    def test_section_page_lists_only_its_stories_in_this_language(self, client, economics):
        mine = ArticleFactory(section=economics)
        other_section = ArticleFactory()
        other_language = ArticleFactory(section=economics, language="ru")
        older = ArticleFactory(section=economics, published_at=mine.published_at - timedelta(1))
        context = client.get(url("section", section="economics")).context
        # The newest leads the front; the list follows it.
        assert (context["lead"], list(context["stories"])) == (mine, [older])
        assert other_section not in context["stories"]
        assert other_language not in context["stories"]

    def test_section_names_are_translated(self, client, economics):
        ArticleFactory(section=economics, language="ru")
        assert (
            "Экономика" in client.get(url("section", "ru", section="economics")).content.decode()
        )
        assert "İqtisadiyyat" in client.get(url("home", "az")).content.decode()

    def test_lists_are_paginated(self, client, economics):
        # The lead heads the first page, then twenty; the last goes to page 2.
        ArticleFactory.create_batch(22, section=economics)
        first = client.get(url("section", section="economics"))
        assert first.context["page_obj"].paginator.num_pages == 2
        assert 'rel="next"' in first.content.decode()
        assert client.get(url("section", section="economics") + "?page=2").status_code == 200
        assert client.get(url("section", section="economics") + "?page=9").status_code == 404


class TestVisibility:
    @pytest.mark.parametrize("traits", [{"draft": True}, {"scheduled": True}])
    def test_unpublished_stories_are_404_for_readers(self, client, traits):
        story = ArticleFactory(**traits)
        assert client.get(story.get_absolute_url()).status_code == 404
        assert story.headline not in client.get(url("home")).content.decode()
        assert story.headline not in client.get(url("news_line")).content.decode()

    def test_unknown_story_section_and_tag_are_404(self, client, story):
        assert client.get(url("story", section="economics", slug="nope")).status_code == 404
        assert client.get(url("story", section="world", slug=story.slug)).status_code == 404
        assert client.get(url("section", section="nope")).status_code == 404
        assert client.get(url("tag", tag="nope")).status_code == 404

    @pytest.mark.parametrize(
        ("language", "tag", "slug"),
        [("ru", "Армения", "армения"), ("az", "Çətin sual", "çətin-sual")],
        ids=["ru", "az"],
    )
    def test_tags_in_cyrillic_and_azerbaijani_letters_have_working_pages(
        self, client, economics, language, tag, slug
    ):
        """django-taggit keeps a tag's letters in its slug; its links and page must work."""
        story = ArticleFactory(language=language, section=economics, tags=[tag])
        tag_url = url("tag", language, tag=slug)
        assert client.get(story.get_absolute_url()).status_code == 200
        assert client.get(tag_url).status_code == 200
        assert story.headline in client.get(tag_url).content.decode()

    def test_story_in_another_language_is_not_found_under_this_prefix(self, client, story):
        assert (
            client.get(url("story", "ru", section="economics", slug=story.slug)).status_code == 404
        )

    def test_staff_preview_draft_with_banner_and_no_caching(self, staff_client):
        draft = ArticleFactory(draft=True)
        response = staff_client.get(draft.get_absolute_url())
        assert response.status_code == 200
        assert "This is a preview" in response.content.decode()
        assert "no-store" in response["Cache-Control"]

    @pytest.mark.parametrize(
        "traits", [{"draft": True}, {"scheduled": True}], ids=["draft", "scheduled"]
    )
    def test_moderators_get_the_readers_404_on_unpublished_stories(self, moderator, traits):
        """Staff status is no story permission: a moderator, who may see the reviews queue
        and nothing else, must not read an embargoed story at its address (issue 13)."""
        story = ArticleFactory(**traits)
        assert moderator.is_staff
        assert logged_in(moderator).get(story.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize(
        "traits", [{"draft": True}, {"scheduled": True}], ids=["draft", "scheduled"]
    )
    def test_editors_preview_unpublished_stories_with_the_banner(self, editor, traits):
        story = ArticleFactory(**traits)
        response = logged_in(editor).get(story.get_absolute_url())
        assert response.status_code == 200
        assert "This is a preview" in response.content.decode()
        assert "no-store" in response["Cache-Control"]

    def test_published_story_has_no_preview_banner(self, staff_client, story):
        assert "Preview" not in staff_client.get(story.get_absolute_url()).content.decode()

    def test_links_to_unpublished_stories_are_not_shown(self, client, story):
        RelatedLinkFactory(
            article=story, target_article=ArticleFactory(draft=True, headline="Secret")
        )
        assert "Secret" not in client.get(story.get_absolute_url()).content.decode()


class TestNewsLine:
    def test_scheduled_story_joins_the_news_line_on_time_despite_the_cache(self, client):
        now = timezone.now()
        with time_machine.travel(now, tick=False):
            ArticleFactory(headline="Already out")
            ArticleFactory(headline="Embargoed budget", published_at=now + timedelta(minutes=10))
            page = client.get(url("news_line")).content.decode()
            assert "Already out" in page and "Embargoed budget" not in page
        with time_machine.travel(now + timedelta(minutes=10, seconds=2), tick=False):
            assert "Embargoed budget" in client.get(url("home")).content.decode()

    def test_an_edit_shows_at_once_despite_the_cache(self, client):
        story = ArticleFactory(headline="Old headline")
        assert "Old headline" in client.get(url("home")).content.decode()
        story.headline = "New headline"
        story.save()
        page = client.get(url("news_line")).content.decode()
        assert "New headline" in page and "Old headline" not in page


def warm_site_chrome(client):
    """Pay once for what every page shares and caches as fragments of their own
    (``newsroom.chrome``): navigation, social links, breaking banner and the News Line,
    which the News Line page itself does not show."""
    client.get(url("news_line"))
    client.get(url("home"))


class TestQueryBudgets:
    """Each reader page costs a fixed number of queries, whatever it shows, once the site
    chrome is cached (see ``warm_site_chrome``).

    These guard against N+1 queries: one per tag, byline, related link or story card.
    """

    def grow(self, story, tags, bylines, links):
        story.tags.add(*[f"tag {n}" for n in range(tags)])
        for n in range(bylines):
            BylineFactory(article=story, role=Byline.Role.values[n % 5], position=n)
        for n in range(links):
            RelatedLinkFactory(article=story, position=n, target_article=ArticleFactory(
                language="ru" if n % 2 else "en"))  # fmt: skip
            CorrectionFactory(article=story)

    def suggest(self, story, suggestions):
        for rank in range(1, suggestions + 1):
            SuggestedStory.objects.create(
                article=story, story=ArticleFactory(), rank=rank, score=1.0
            )

    @pytest.mark.parametrize("reviews", [0, 10, 500])
    @pytest.mark.parametrize(("tags", "bylines", "links"), [(0, 1, 0), (20, 5, 10)])
    @pytest.mark.parametrize("suggestions", [0, 4])
    def test_story_page(
        self, client, django_assert_max_num_queries, story, tags, bylines, links, reviews,
        suggestions,
    ):  # fmt: skip
        """At most 8 queries, whatever the number of tags, bylines, links, automatic
        suggestions and reviews. The suggestions come in the query that finds the story's
        translations (``translations_and_suggestions``).

        Measured as a reader meets it: the site chrome shared by every page (sections,
        social links, News Line) is cached under the content version, so one earlier
        request to any page has paid for it. The reviews block costs two queries (a page of
        reviews with its counts, and their replies), with 0, 10 or 500 approved reviews.
        """
        self.grow(story, tags, bylines, links)
        self.suggest(story, suggestions)
        SocialLinkFactory.create_batch(3)
        CommentFactory.create_batch(reviews, article=story)
        replies = CommentFactory.create_batch(min(reviews, 5), article=story)
        for n, reply in enumerate(replies):
            reply.parent_id = story.comments.order_by("pk")[n].pk
            reply.save()
        warm_site_chrome(client)
        with django_assert_max_num_queries(STORY_PAGE_BUDGET):
            response = client.get(story.get_absolute_url())
        assert response.status_code == 200
        assert len(response.context["article"].related_links.all()) == links
        assert len(response.context["suggested_stories"]) == (suggestions if not links else 0)
        assert response.context["total"] == reviews + len(replies)

    @pytest.mark.parametrize("stories", [1, 30])
    def test_home_page(self, client, django_assert_max_num_queries, stories):
        for n in range(stories):
            story = ArticleFactory(section=SectionFactory(slug=f"s{n % 7}"),
                                   lead_image=ImageFactory())  # fmt: skip
            CommentFactory.create_batch(2, article=story)
        warm_site_chrome(client)
        with django_assert_max_num_queries(HOME_PAGE_BUDGET):
            assert client.get(url("home")).status_code == 200

    @pytest.mark.parametrize("name", ["news_line", "section", "tag", "author"])
    @pytest.mark.parametrize("stories", [1, 25])
    def test_list_pages(self, client, django_assert_max_num_queries, economics, name, stories):
        contributor = ContributorFactory(slug="writer")
        for _ in range(stories):
            story = ArticleFactory(section=economics, tags=["Economy"], lead_image=ImageFactory())
            BylineFactory(article=story, contributor=contributor)
            CommentFactory(article=story)
        kwargs = {"news_line": {}, "section": {"section": "economics"},
                  "tag": {"tag": "economy"}, "author": {"slug": "writer"}}[name]  # fmt: skip
        warm_site_chrome(client)
        # A section front finds its lead first (articles.frontpage): one query more.
        budget = LIST_PAGE_BUDGET + (name == "section")
        with django_assert_max_num_queries(budget):
            assert client.get(url(name, **kwargs)).status_code == 200


def test_story_with_a_russian_tag_renders_and_links_the_tag_page(client, economics):
    """django-taggit keeps Cyrillic letters in tag slugs; the tag address must accept them."""
    story = ArticleFactory(section=economics, language="ru", tags=["Физули"])
    page = client.get(story.get_absolute_url())
    assert page.status_code == 200
    tag_url = "/ru/tags/%D1%84%D0%B8%D0%B7%D1%83%D0%BB%D0%B8/"
    assert f'href="{tag_url}"' in page.content.decode()
    assert story.headline in client.get(tag_url).content.decode()
