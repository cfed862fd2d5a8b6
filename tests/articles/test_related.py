"""Related stories that fill themselves (articles/related.py, issue 23): who may be
suggested, in what order, the editors' exclusions, the background refresh, the page."""

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.models import Article, SuggestedStory
from articles.related import refresh_suggestions, suggestions_store
from articles.services import article_transition
from tests.factories import ArticleFactory, RelatedLinkFactory, SectionFactory
from tests.helpers import change_url, logged_in, run_tasks, staff_in_role, story_form_data

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.now() - timedelta(days=days)


def suggested(story):
    return list(story.suggestions.values_list("story__headline", flat=True))


def story_page(client, story):
    response = client.get(story.get_absolute_url())
    assert response.status_code == 200
    return response


def shown(response):
    return [story.headline for story in response.context["suggested_stories"]]


@pytest.fixture
def politics():
    return SectionFactory(name="Politics", slug="politics")


@pytest.fixture
def story(politics):
    return ArticleFactory(
        headline="Parliament debates the new water law",
        lead="Deputies argued over irrigation quotas for farmers.",
        section=politics,
        tags=["Water", "Agriculture"],
    )


class TestWhoMayBeSuggested:
    def test_never_a_draft_a_scheduled_or_an_unpublished_story(self, story):
        """Each of them shares both tags and the words: only the published one is left."""
        alike = {"lead": story.lead, "tags": ["Water", "Agriculture"]}
        ArticleFactory(headline="Draft on the water law", draft=True, **alike)
        ArticleFactory(headline="In review: water law", status=Article.Status.REVIEW, **alike)
        ArticleFactory(headline="Scheduled water law", scheduled=True, **alike)
        ArticleFactory(headline="Withdrawn water law", status=Article.Status.UNPUBLISHED,
                       **alike)  # fmt: skip
        ArticleFactory(headline="Published water law", **alike)
        suggestions_store(story=story)
        assert suggested(story) == ["Published water law"]

    def test_never_the_story_itself_its_translations_or_another_language(self, story):
        ArticleFactory(headline="Парламент обсуждает закон о воде", language="ru",
                       translation_group=story.translation_group, tags=["Water"])  # fmt: skip
        ArticleFactory(headline="Another language, same tags", language="az",
                       tags=["Water", "Agriculture"])  # fmt: skip
        suggestions_store(story=story)
        assert suggested(story) == []

    def test_a_story_linked_by_hand_is_not_suggested_again(self, story):
        linked = ArticleFactory(headline="Linked by hand", tags=["Water"])
        RelatedLinkFactory(article=story, target_article=linked)
        other = ArticleFactory(headline="Suggested instead", tags=["Water"])
        suggestions_store(story=story)
        assert suggested(story) == [other.headline]

    def test_a_story_readers_cannot_see_has_no_suggestions(self, story):
        ArticleFactory(tags=["Water"])
        story.status = Article.Status.UNPUBLISHED
        story.save()
        suggestions_store(story=story)
        assert suggested(story) == []


class TestOrder:
    def test_shared_tags_come_first_then_section_words_and_time(self, story, politics):
        """The known best match shares both tags, in another section, a month old; a
        story in the same section with the very same words, published today, still
        comes after every story that shares a tag."""
        ArticleFactory(headline="Same section, nothing else", lead="Budget.", section=politics,
                       published_at=days_ago(1))  # fmt: skip
        ArticleFactory(headline="Parliament debates the new water law again",
                       lead=story.lead, section=politics, published_at=days_ago(0.1))  # fmt: skip
        ArticleFactory(headline="One tag: water prices", lead="Tariffs.",
                       tags=["Water"], published_at=days_ago(2))  # fmt: skip
        ArticleFactory(headline="Both tags: drought hits farms", lead="Dry summer.",
                       tags=["Water", "Agriculture"], published_at=days_ago(30))  # fmt: skip
        ArticleFactory(headline="Unrelated football result", lead="A draw.", body="")
        suggestions_store(story=story)
        assert suggested(story) == [
            "Both tags: drought hits farms",
            "One tag: water prices",
            "Parliament debates the new water law again",
            "Same section, nothing else",
        ]
        assert list(story.suggestions.values_list("rank", flat=True)) == [1, 2, 3, 4]

    def test_the_newer_of_two_equal_stories_comes_first(self, story):
        ArticleFactory(headline="Older", lead="Tariffs.", tags=["Water"], published_at=days_ago(9))
        ArticleFactory(headline="Newer", lead="Tariffs.", tags=["Water"], published_at=days_ago(1))
        suggestions_store(story=story)
        assert suggested(story) == ["Newer", "Older"]

    def test_words_alone_find_a_story(self, story):
        """No tag, no section in common: the text index still finds the same subject."""
        ArticleFactory(headline="Irrigation quotas anger farmers", lead="Deputies argued.")
        ArticleFactory(headline="Unrelated football result", lead="A draw.", body="")
        suggestions_store(story=story)
        assert suggested(story) == ["Irrigation quotas anger farmers"]

    def test_at_most_the_limit_is_stored(self, story, settings):
        settings.RELATED_STORIES_LIMIT = 2
        ArticleFactory.create_batch(5, tags=["Water"])
        suggestions_store(story=story)
        assert story.suggestions.count() == 2


class TestExclusion:
    def test_an_excluded_story_is_never_suggested(self, story):
        unwanted = ArticleFactory(headline="Unwanted", tags=["Water", "Agriculture"])
        wanted = ArticleFactory(headline="Wanted", tags=["Water"])
        story.excluded_suggestions.add(unwanted)
        suggestions_store(story=story)
        assert suggested(story) == [wanted.headline]

    def test_the_editor_excludes_a_suggestion_in_the_story_admin(
        self, client, story, django_capture_on_commit_callbacks
    ):
        unwanted = ArticleFactory(headline="Unwanted", tags=["Water", "Agriculture"])
        suggestions_store(story=story)
        editor = logged_in(staff_in_role("edith", "Editors"))
        page = editor.get(change_url(story)).content.decode()
        assert "Unwanted" in page  # Shown under "suggested now", to be excluded below.
        with django_capture_on_commit_callbacks(execute=True):
            response = editor.post(
                change_url(story),
                story_form_data(story, tags="Water, Agriculture",
                                excluded_suggestions=[unwanted.pk]),
            )  # fmt: skip
        assert response.status_code == 302
        # Gone from the page at once, before any worker has run...
        assert shown(story_page(client, story)) == []
        run_tasks()  # ...and from the stored suggestions once one has.
        assert suggested(story) == []


class TestBackgroundRefresh:
    def test_publishing_a_story_stores_its_suggestions_in_the_background(
        self, story, django_capture_on_commit_callbacks
    ):
        draft = ArticleFactory(headline="Water law passes", draft=True, tags=["Water"])
        editor = staff_in_role("edith", "Editors")
        with django_capture_on_commit_callbacks(execute=True):
            article_transition(article=draft, user=editor, action="publish")
        assert suggested(draft) == []  # Nothing worked out inside the editor's request...
        assert DBTaskResult.objects.filter(task_path=refresh_suggestions.module_path).exists()
        run_tasks()  # ...a worker does it.
        assert suggested(draft) == [story.headline]
        # And the story it suggests now suggests it back.
        assert suggested(story) == ["Water law passes"]

    def test_editing_a_story_refreshes_its_suggestions(
        self, client, story, django_capture_on_commit_callbacks
    ):
        ArticleFactory(headline="About water", tags=["Water"])
        ArticleFactory(headline="About elections", tags=["Elections"])
        suggestions_store(story=story)
        assert suggested(story)[0] == "About water"
        editor = logged_in(staff_in_role("edith", "Editors"))
        with django_capture_on_commit_callbacks(execute=True):
            editor.post(change_url(story), story_form_data(story, tags="Elections"))
        run_tasks()
        assert suggested(story)[0] == "About elections"

    def test_editing_a_draft_refreshes_nothing(self, django_capture_on_commit_callbacks):
        draft = ArticleFactory(draft=True)
        with django_capture_on_commit_callbacks(execute=True):
            draft.headline = "Still a draft"
            draft.save()
        assert not DBTaskResult.objects.exists()

    def test_unpublishing_a_suggested_story_fills_its_place(
        self, client, story, django_capture_on_commit_callbacks, settings
    ):
        settings.RELATED_STORIES_LIMIT = 1
        best = ArticleFactory(headline="Best", tags=["Water", "Agriculture"])
        ArticleFactory(headline="Next best", tags=["Water"])
        suggestions_store(story=story)
        assert shown(story_page(client, story)) == ["Best"]
        editor = staff_in_role("edith", "Editors")
        with django_capture_on_commit_callbacks(execute=True):
            article_transition(article=best, user=editor, action="unpublish")
        # Not shown from the moment it is unpublished (the page asks published_q())...
        assert shown(story_page(client, story)) == []
        run_tasks()  # ...and its place is filled once a worker has run.
        assert shown(story_page(client, story)) == ["Next best"]

    def test_running_the_refresh_twice_stores_the_same(self, story):
        ArticleFactory.create_batch(3, tags=["Water"])
        refresh_suggestions.call(story.pk)
        once = list(SuggestedStory.objects.values_list("article", "story", "rank"))
        refresh_suggestions.call(story.pk)
        assert list(SuggestedStory.objects.values_list("article", "story", "rank")) == once


class TestStoryPage:
    def test_the_editors_links_first_then_suggestions_up_to_the_limit(self, client, story):
        manual = RelatedLinkFactory(article=story, target_article=ArticleFactory(
            headline="Chosen by the editor"))  # fmt: skip
        for n in range(5):
            ArticleFactory(headline=f"Suggested {n}", tags=["Water"], published_at=days_ago(n))
        suggestions_store(story=story)
        response = story_page(client, story)
        assert shown(response) == ["Suggested 0", "Suggested 1", "Suggested 2"]  # 1 + 3 = 4
        page = response.content.decode()
        related = page[page.index('id="related-title"') :]
        related = related[: related.index("</section>")]
        assert related.index(manual.target_article.headline) < related.index("Suggested 0")
        assert "Suggested 3" not in related

    def test_the_page_carries_the_cache_tags_of_the_suggested_stories(
        self, client, story, settings
    ):
        settings.PAGE_CACHE_SECONDS = 300
        suggestion = ArticleFactory(headline="About water", tags=["Water"])
        suggestions_store(story=story)
        tags = story_page(client, story)["xkey"].split()
        assert f"story:{suggestion.pk}" in tags
        assert f"related:{story.pk}" in tags


def test_the_command_stores_the_suggestions_of_every_story_readers_may_see(story):
    """After a bulk import or installing the feature, no save has enqueued them."""
    other = ArticleFactory(headline="About water", tags=["Water"])
    draft = ArticleFactory(headline="Draft about water", tags=["Water"], draft=True)
    call_command("store_suggestions", stdout=io.StringIO())
    assert suggested(story) == ["About water"]
    assert suggested(other) == [story.headline]
    assert suggested(draft) == []
