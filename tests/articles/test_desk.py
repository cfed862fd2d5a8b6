"""The story desk in the admin (issue 16): the story list, withdrawing a story from review,
the author's own byline, and the publication time as one control in the newsroom's zone."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, Contributor, StatusChange
from articles.services import article_transition
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ContributorFactory,
    SectionFactory,
    StaffFactory,
)
from tests.helpers import ADD_URL, change_url, local_time, logged_in, story_form_data

pytestmark = pytest.mark.django_db

STORIES = reverse("admin:articles_article_changelist")


@pytest.fixture
def section():
    return SectionFactory()


def headlines(client, query=""):
    response = client.get(f"{STORIES}?{query}")
    assert response.status_code == 200
    return [story.headline for story in response.context["cl"].result_list]


# The story list ---------------------------------------------------------------------------
class TestStoryList:
    def test_newest_change_first(self, editor):
        old = ArticleFactory(headline="Old story")
        ArticleFactory(headline="New story", draft=True)
        Article.objects.filter(pk=old.pk).update(updated_at=timezone.now() - timedelta(days=3))
        assert headlines(logged_in(editor))[:2] == ["New story", "Old story"]

    def test_status_is_a_readable_badge_and_the_author_is_shown(self, editor, journalist):
        ArticleFactory(draft=True, created_by=journalist)
        ArticleFactory(scheduled=True)
        page = logged_in(editor).get(STORIES).content.decode()
        assert '<span class="status-badge status-badge--draft">Draft</span>' in page
        assert (
            '<span class="status-badge status-badge--scheduled">Scheduled</span> '
            '<span class="status-when">'
        ) in page
        assert '<td class="field-author">Jana</td>' in page
        assert '<th class="field-headline">' in page
        assert 'id="nav-sidebar"' not in page  # the room goes to the headlines

    def test_my_stories_are_those_i_created_or_am_bylined_on(self, journalist):
        ArticleFactory(headline="Created", draft=True, created_by=journalist)
        bylined = ArticleFactory(headline="Bylined")
        BylineFactory(article=bylined, contributor=ContributorFactory(user=journalist))
        ArticleFactory(headline="Someone else's")
        mine = headlines(logged_in(journalist), "mine=1")
        assert sorted(mine) == ["Bylined", "Created"]

    def test_waiting_for_an_editor_are_the_stories_in_review(self, editor):
        ArticleFactory(headline="In review", status=Article.Status.REVIEW, published_at=None)
        ArticleFactory(headline="Draft", draft=True)
        assert headlines(logged_in(editor), "waiting=1") == ["In review"]

    def test_waiting_for_a_journalist_are_the_stories_returned_to_them(self, journalist, editor):
        returned, withdrawn, fresh = (
            ArticleFactory(headline=headline, draft=True, created_by=journalist)
            for headline in ["Returned", "Withdrawn", "Fresh draft"]
        )
        for story in [returned, withdrawn]:
            article_transition(article=story, user=journalist, action="submit")
        article_transition(article=returned, user=editor, action="return", note="Shorter.")
        article_transition(article=withdrawn, user=journalist, action="withdraw")
        assert fresh.status == Article.Status.DRAFT
        assert headlines(logged_in(journalist), "waiting=1") == ["Returned"]

    def test_the_list_costs_the_same_whatever_the_number_of_stories(self, editor):
        """No query per row for the badge, the author or the filters."""
        client = logged_in(editor)

        def cost(rows):
            for _ in range(rows):
                story = ArticleFactory(created_by=StaffFactory())
                BylineFactory(article=story)
                StatusChange.objects.create(article=story, from_state="draft", to_state="review")
            with CaptureQueriesContext(connection) as queries:
                assert client.get(f"{STORIES}?waiting=1&mine=1").status_code == 200
                assert client.get(STORIES).status_code == 200
            return len(queries)

        assert cost(1) == cost(15)


# Withdrawing from review -------------------------------------------------------------------
class TestWithdraw:
    @pytest.fixture
    def in_review(self, journalist):
        story = ArticleFactory(draft=True, created_by=journalist)
        return article_transition(article=story, user=journalist, action="submit")

    def test_the_author_withdraws_their_story_and_may_edit_it_again(self, journalist, in_review):
        client = logged_in(journalist)
        page = client.get(change_url(in_review)).content.decode()
        withdraw = reverse("admin:articles_article_withdraw", args=[in_review.pk])
        assert f'action="{withdraw}"' in page
        assert client.post(withdraw).status_code == 302
        in_review.refresh_from_db()
        assert in_review.status == Article.Status.DRAFT
        step = in_review.status_changes.first()
        assert (step.from_state, step.to_state, step.user) == ("review", "draft", journalist)
        assert client.post(change_url(in_review), story_form_data(in_review)).status_code == 302

    def test_nobody_else_withdraws_it(self, other_journalist, in_review):
        withdraw = reverse("admin:articles_article_withdraw", args=[in_review.pk])
        assert logged_in(other_journalist).post(withdraw).status_code == 403
        in_review.refresh_from_db()
        assert in_review.status == Article.Status.REVIEW

    def test_only_a_story_in_review(self, journalist):
        draft = ArticleFactory(draft=True, created_by=journalist)
        withdraw = reverse("admin:articles_article_withdraw", args=[draft.pk])
        assert logged_in(journalist).post(withdraw).status_code == 403


# The author's own byline ------------------------------------------------------------------
class TestOwnByline:
    def test_a_journalists_new_story_carries_their_byline(self, journalist, section):
        client = logged_in(journalist)
        assert client.post(ADD_URL, story_form_data(section=section)).status_code == 302
        story = Article.objects.get()
        contributor = Contributor.objects.get(user=journalist)
        assert contributor.name == "Jana" and contributor.slug == "jana"
        assert [(b.contributor, b.role) for b in story.bylines.all()] == [
            (contributor, "reporter")
        ]
        # The next story uses the same contributor record.
        data = story_form_data(section=section, headline="A second story")
        assert client.post(ADD_URL, data).status_code == 302
        assert Contributor.objects.filter(user=journalist).count() == 1
        assert Contributor.objects.get(user=journalist).bylines.count() == 2

    def test_an_editor_entering_someone_elses_story_is_not_bylined(self, editor, section):
        writer = ContributorFactory()
        data = story_form_data(
            section=section,
            **{
                "bylines-TOTAL_FORMS": 1, "bylines-0-contributor": writer.pk,
                "bylines-0-role": "reporter", "bylines-0-position": 0,
            },
        )  # fmt: skip
        assert logged_in(editor).post(ADD_URL, data).status_code == 302
        assert [b.contributor for b in Article.objects.get().bylines.all()] == [writer]


# The publication time ---------------------------------------------------------------------
class TestPublicationTime:
    def test_one_date_and_time_control_in_the_newsrooms_zone(self, editor, settings):
        story = ArticleFactory(scheduled=True)
        page = logged_in(editor).get(change_url(story)).content.decode()
        local = timezone.localtime(story.published_at).strftime("%Y-%m-%dT%H:%M:%S")
        assert f'type="datetime-local" name="published_at" value="{local}"' in page
        assert "Asia/Baku time (UTC+04:00)" in page
        assert 'name="published_at_0"' not in page and "vTimeField" not in page
        assert "admin/js/calendar.js" not in page  # its script writes "behind server time"

    def test_a_time_typed_is_read_in_the_newsrooms_zone(self, editor):
        story = ArticleFactory(draft=True)
        data = story_form_data(story, published_at="2030-05-12T09:00", _workflow="schedule")
        assert logged_in(editor).post(change_url(story), data).status_code == 302
        story.refresh_from_db()
        assert story.published_at.isoformat() == "2030-05-12T05:00:00+00:00"  # 09:00 in Baku

    def test_saving_unchanged_keeps_the_time_to_the_second(self, editor):
        story = ArticleFactory(published_at=timezone.now() - timedelta(seconds=37))
        before = Article.objects.get(pk=story.pk).published_at.replace(microsecond=0)
        Article.objects.filter(pk=story.pk).update(published_at=before)
        data = story_form_data(Article.objects.get(pk=story.pk))
        assert data["published_at"] == local_time(before)
        assert logged_in(editor).post(change_url(story), data).status_code == 302
        assert Article.objects.get(pk=story.pk).published_at == before
