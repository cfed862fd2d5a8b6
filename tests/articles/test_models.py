from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import IntegrityError

from articles.models import Article, RelatedLink
from articles.text import clean_body, slug_from_headline
from tests.factories import ArticleFactory, RelatedLinkFactory, SectionFactory

pytestmark = pytest.mark.django_db

NOON = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


class TestPublished:
    def test_only_published_stories_whose_time_has_come(self):
        with time_machine.travel(NOON, tick=False):
            live = ArticleFactory(published_at=NOON - timedelta(minutes=1))
            ArticleFactory(draft=True)
            ArticleFactory(status=Article.Status.REVIEW, published_at=None)
            ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=NOON - timedelta(1))
            scheduled = ArticleFactory(published_at=NOON + timedelta(hours=2))

            assert list(Article.objects.published()) == [live]
            assert scheduled.is_scheduled and not scheduled.is_published

    def test_scheduled_story_goes_live_at_its_time_with_no_job(self):
        with time_machine.travel(NOON, tick=False):
            story = ArticleFactory(published_at=NOON + timedelta(hours=2))
        with time_machine.travel(NOON + timedelta(hours=2), tick=False):
            assert list(Article.objects.published()) == [story]
            assert story.is_published

    def test_in_state_finds_each_story_by_the_state_editors_see(self):
        """One rule for "scheduled": the queryset and the story's own ``state`` agree."""
        with time_machine.travel(NOON, tick=False):
            stories = [
                ArticleFactory(published_at=NOON - timedelta(minutes=1)),
                ArticleFactory(published_at=NOON + timedelta(minutes=1)),
                ArticleFactory(draft=True),
                ArticleFactory(status=Article.Status.REVIEW, published_at=None),
                ArticleFactory(status=Article.Status.UNPUBLISHED, published_at=NOON),
            ]
            for story in stories:
                assert list(Article.objects.in_state(story.state)) == [story], story.state
            assert {story.state for story in stories} == set(Article.State)

    def test_visible_to_widens_only_for_those_who_may_change_or_view_stories(
        self, editor, moderator
    ):
        live = ArticleFactory()
        scheduled = ArticleFactory(scheduled=True)
        assert list(Article.objects.visible_to(moderator)) == [live]
        assert set(Article.objects.visible_to(editor)) == {live, scheduled}

    def test_published_story_needs_a_publication_time(self):
        with pytest.raises(IntegrityError):
            ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)

    def test_breaking_flag_drops_on_its_own(self):
        with time_machine.travel(NOON, tick=False):
            story = ArticleFactory(breaking_until=NOON + timedelta(hours=1))
            assert story.is_breaking
        with time_machine.travel(NOON + timedelta(hours=1, seconds=1), tick=False):
            assert not story.is_breaking


class TestSlugs:
    @pytest.mark.parametrize(
        ("headline", "slug"),
        [
            ("Сможет ли Москва сорвать уход Еревана?", "smozhet-li-moskva-sorvat-ukhod-erevana"),
            ("Şuşa şəhərində yeni məktəb açıldı", "susa-seherinde-yeni-mekteb-acildi"),
            ("Çətin sual", "cetin-sual"),
        ],
    )
    def test_russian_and_azerbaijani_headlines_are_transliterated(self, headline, slug):
        assert slug_from_headline(headline) == slug

    def test_slug_made_from_headline_on_save(self):
        story = ArticleFactory(language="az", headline="İqtisadiyyat: ölkədə yeni zavod")
        assert story.slug == "iqtisadiyyat-olkede-yeni-zavod"

    def test_headline_of_only_punctuation_still_gets_a_slug(self):
        assert ArticleFactory(headline="«…»").slug == "story"

    def test_slugs_are_unique_per_language(self):
        first = ArticleFactory(language="ru", headline="Новости дня")
        second = ArticleFactory(language="ru", headline="Новости дня")
        english = ArticleFactory(language="en", headline="Novosti dnia")
        assert first.slug == "novosti-dnia"
        assert second.slug == f"{first.slug}-2"
        assert english.slug == first.slug  # Another language: the same slug is fine.

    def test_database_refuses_duplicate_slug_in_one_language(self):
        section = SectionFactory()
        ArticleFactory(language="en", slug="same", section=section)
        with pytest.raises(IntegrityError):
            Article.objects.create(language="en", slug="same", headline="x", section=section)


class TestSanitising:
    def test_body_is_sanitised_on_save(self):
        story = ArticleFactory(
            body=(
                '<h2>Ok</h2><p onclick="steal()">Text<script>alert(1)</script></p>'
                '<img src="x.jpg" onerror="alert(2)" alt="a">'
                '<a href="javascript:alert(3)">link</a>'
                '<iframe src="https://evil.example.com/x"></iframe>'
            )
        )
        story.refresh_from_db()
        for payload in ["<script", "onclick", "onerror", "javascript:", "evil.example.com"]:
            assert payload not in story.body
        assert "<h2>Ok</h2>" in story.body and 'alt="a"' in story.body

    def test_newsroom_markup_is_kept(self):
        html = (
            "<h2>Heading</h2><h3>Sub</h3><ul><li>one</li></ul><ol><li>two</li></ol>"
            "<blockquote><p>Quote</p></blockquote>"
            '<figure class="image"><img src="/media/a.jpg" alt="A"><figcaption>Cap</figcaption>'
            "</figure><table><tbody><tr><td>1</td></tr></tbody></table>"
            '<p><a href="https://example.com/">link</a></p>'
        )
        cleaned = clean_body(html)
        for kept in ["<h2>", "<h3>", "<ul>", "<ol>", "<blockquote>", "<figure", "<figcaption>",
                     "<table>", '<a href="https://example.com/"']:  # fmt: skip
            assert kept in cleaned

    def test_video_players_from_known_hosts_survive(self):
        cleaned = clean_body('<iframe src="https://www.youtube.com/embed/abc"></iframe>')
        assert 'src="https://www.youtube.com/embed/abc"' in cleaned

    def test_entity_encoded_javascript_link_is_removed(self):
        assert "javascript" not in clean_body('<a href="jav&#x0D;ascript:alert(1)">x</a>').lower()


class TestRelatedLinks:
    def test_link_is_either_a_story_or_an_address(self):
        story = ArticleFactory()
        with pytest.raises(IntegrityError):
            RelatedLink.objects.create(article=story, url="", target_article=None)

    def test_links_to_unpublished_stories_are_hidden(self):
        story = ArticleFactory()
        shown = RelatedLinkFactory(article=story)
        RelatedLinkFactory(article=story, target_article=ArticleFactory(draft=True))
        external = RelatedLink.objects.create(
            article=story, url="https://example.org/", kind="external", title="Elsewhere"
        )
        assert set(story.related_links.visible()) == {shown, external}

    def test_link_names_the_target_language_when_it_differs(self):
        link = RelatedLinkFactory(
            article=ArticleFactory(language="en"), target_article=ArticleFactory(language="ru")
        )
        assert link.target_language == "ru"
        assert link.display_title == link.target_article.headline
