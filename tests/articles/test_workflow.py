"""The editorial workflow: logged transitions, scheduling with no worker, breaking news."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import Article, StatusChange
from articles.services import article_transition
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory, SectionFactory
from tests.helpers import change_url, local_time, logged_in, story_form_data

pytestmark = pytest.mark.django_db

NOW = timezone.make_aware(timezone.datetime(2026, 3, 2, 9, 0))


def reader_url(name, **kwargs):
    with translation.override("en"):
        return reverse(f"articles:{name}", kwargs=kwargs)


class TestTransitions:
    def test_every_step_is_recorded_with_who_when_and_note(self, journalist, editor):
        story = ArticleFactory(draft=True, created_by=journalist)
        post = lambda user, **data: logged_in(user).post(  # noqa: E731
            change_url(story), story_form_data(Article.objects.get(pk=story.pk), **data)
        )
        assert post(journalist, _workflow="submit").status_code == 302
        assert post(editor, _workflow="return", workflow_note="Add a source").status_code == 302
        assert post(journalist, _workflow="submit").status_code == 302
        assert post(editor, _workflow="publish").status_code == 302
        steps = list(
            StatusChange.objects.filter(article=story)
            .order_by("pk")
            .values_list("user__username", "from_state", "to_state", "note")
        )
        assert steps == [
            ("jana", "draft", "review", ""),
            ("edith", "review", "draft", "Add a source"),
            ("jana", "draft", "review", ""),
            ("edith", "review", "published", ""),
        ]

    def test_history_is_shown_on_the_story_admin_page(self, editor):
        story = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
        article_transition(article=story, user=editor, action="return", note="Check <names>")
        page = logged_in(editor).get(change_url(story)).content.decode()
        assert "Status history" in page and "In review → Draft" in page
        assert "Check &lt;names&gt;" in page and "Check <names>" not in page

    def test_returning_needs_a_note(self, editor):
        story = ArticleFactory(status=Article.Status.REVIEW, published_at=None)
        response = logged_in(editor).post(
            change_url(story), story_form_data(story, _workflow="return")
        )
        assert response.status_code == 200
        assert "Tell the author what to change." in response.content.decode()
        assert Article.objects.get(pk=story.pk).status == Article.Status.REVIEW

    def test_buttons_offer_only_allowed_steps(self, journalist, editor):
        story = ArticleFactory(draft=True, created_by=journalist)
        mine = logged_in(journalist).get(change_url(story)).content.decode()
        theirs = logged_in(editor).get(change_url(story)).content.decode()
        assert 'value="submit"' in mine and 'value="publish"' not in mine
        assert 'value="publish"' in theirs and 'value="schedule"' in theirs

    def test_moving_the_time_of_a_published_story_into_the_future_is_recorded(self, editor):
        story = ArticleFactory()
        when_input = local_time(timezone.now() + timedelta(days=1))
        response = logged_in(editor).post(
            change_url(story), story_form_data(story, published_at=when_input)
        )
        assert response.status_code == 302
        change = StatusChange.objects.get(article=story)
        assert (change.from_state, change.to_state) == ("published", "scheduled")


class TestScheduling:
    """A scheduled story is published with a future time: no job makes it visible."""

    PAGES = ["home", "news_line", "section", "tag", "author"]

    @pytest.fixture
    def scheduled(self):
        with time_machine.travel(NOW, tick=False):
            story = ArticleFactory(
                headline="Budget passes at noon",
                section=SectionFactory(slug="economics"),
                published_at=NOW + timedelta(hours=3),
                tags=["Budget"],
            )
            BylineFactory(article=story, contributor=ContributorFactory(slug="writer"))
        return story

    def pages(self, story):
        kwargs = {"home": {}, "news_line": {}, "section": {"section": "economics"},
                  "tag": {"tag": "budget"}, "author": {"slug": "writer"}}  # fmt: skip
        return {name: reader_url(name, **kwargs[name]) for name in self.PAGES}

    def test_absent_everywhere_until_its_time_then_present(self, client, scheduled):
        with time_machine.travel(NOW + timedelta(hours=2, minutes=59), tick=False):
            for name, url in self.pages(scheduled).items():
                response = client.get(url)
                assert scheduled.headline not in response.content.decode(), name
            assert client.get(scheduled.get_absolute_url()).status_code == 404
        with time_machine.travel(NOW + timedelta(hours=3, minutes=1), tick=False):
            for name, url in self.pages(scheduled).items():
                assert scheduled.headline in client.get(url).content.decode(), name
            assert client.get(scheduled.get_absolute_url()).status_code == 200

    def test_shows_as_scheduled_in_the_admin(self, editor, scheduled):
        client = logged_in(editor)
        with time_machine.travel(NOW, tick=False):
            changelist = client.get(
                reverse("admin:articles_article_changelist") + "?state=scheduled"
            )
            assert scheduled.headline in changelist.content.decode()
            assert "Scheduled" in changelist.content.decode()
            assert (
                "<strong>Scheduled</strong>" in client.get(change_url(scheduled)).content.decode()
            )

    def test_editor_schedules_from_the_change_form(self, editor):
        story = ArticleFactory(draft=True)
        when = timezone.now() + timedelta(days=1)
        when_input = local_time(when)
        response = logged_in(editor).post(
            change_url(story),
            story_form_data(story, _workflow="schedule", published_at=when_input),
        )
        assert response.status_code == 302
        story.refresh_from_db()
        assert story.is_scheduled
        assert StatusChange.objects.get(article=story).to_state == "scheduled"

    def test_scheduling_in_the_past_is_refused(self, editor):
        story = ArticleFactory(draft=True)
        when_input = local_time(timezone.now() - timedelta(days=1))
        response = logged_in(editor).post(
            change_url(story),
            story_form_data(story, _workflow="schedule", published_at=when_input),
        )
        assert response.status_code == 200
        assert Article.objects.get(pk=story.pk).status == Article.Status.DRAFT


class TestBreakingBanner:
    @pytest.fixture
    def breaking(self):
        with time_machine.travel(NOW, tick=False):
            return ArticleFactory(
                headline="Earthquake shakes the capital",
                section=SectionFactory(slug="society"),
                breaking_until=NOW + timedelta(hours=2),
            )

    def test_every_page_links_to_the_breaking_story_while_the_flag_lasts(self, client, breaking):
        other = ArticleFactory(section=breaking.section, published_at=NOW - timedelta(hours=5))
        with time_machine.travel(NOW + timedelta(hours=1), tick=False):
            for url in [reader_url("home"), reader_url("news_line"), other.get_absolute_url()]:
                page = client.get(url).content.decode()
                assert "Breaking news" in page
                assert f'href="{breaking.get_absolute_url()}">Earthquake' in page
        with time_machine.travel(NOW + timedelta(hours=2, minutes=1), tick=False):
            assert "Breaking news" not in client.get(reader_url("home")).content.decode()

    def test_only_in_the_story_language(self, client, breaking):
        ArticleFactory(language="ru", section=breaking.section, published_at=NOW)
        with time_machine.travel(NOW + timedelta(hours=1), tick=False), translation.override("ru"):
            assert "Earthquake" not in client.get(reverse("articles:home")).content.decode()

    def test_banner_costs_no_query_of_its_own(
        self, client, breaking, django_assert_max_num_queries
    ):
        """Story page stays within 8 queries, home within 5, with a breaking story on
        (measured like the other budgets, once the shared site chrome is cached)."""
        other = ArticleFactory(section=breaking.section, published_at=NOW - timedelta(hours=5))
        with time_machine.travel(NOW + timedelta(hours=1), tick=False):
            client.get(reader_url("news_line"))
            with django_assert_max_num_queries(8):
                assert "Breaking news" in client.get(other.get_absolute_url()).content.decode()
            with django_assert_max_num_queries(5):
                assert "Breaking news" in client.get(reader_url("home")).content.decode()
