"""Never lose an edit: optimistic locking on save, and a soft "X is editing" lock."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from articles.locks import EDIT_LOCK_SECONDS
from articles.models import Article, StaleVersionError
from tests.factories import ArticleFactory
from tests.helpers import change_url, logged_in, story_form_data

pytestmark = pytest.mark.django_db


def opened_form(client, story):
    """What the browser holds after opening the change form: the form's initial data."""
    form = client.get(change_url(story)).context["adminform"].form
    assert form["opened_version"].value() == story.version
    return story_form_data(story, opened_version=form["opened_version"].value())


class TestOptimisticLocking:
    def test_second_of_two_interleaved_saves_is_refused_and_keeps_its_text(
        self, editor, second_editor
    ):
        story = ArticleFactory(headline="Dam repairs begin", lead="Work starts today.")
        first, second = logged_in(editor), logged_in(second_editor)
        first_form, second_form = opened_form(first, story), opened_form(second, story)

        first_form.update(headline="Dam repairs begin on Monday")
        assert first.post(change_url(story), first_form).status_code == 302

        second_form.update(lead="Work starts today, two weeks late.")
        response = second.post(change_url(story), second_form)
        assert response.status_code == 200
        page = response.content.decode()
        assert "Edith saved this story at" in page
        assert "Nothing was saved" in page and "Headline" in page
        # The refused editor's text is still in the form, ready to copy.
        assert "Work starts today, two weeks late." in page
        saved = Article.objects.get(pk=story.pk)
        assert saved.headline == "Dam repairs begin on Monday"
        assert saved.lead == "Work starts today."
        assert saved.version == story.version + 1

    def test_after_a_refusal_a_fresh_form_saves(self, editor, second_editor):
        story = ArticleFactory()
        first, second = logged_in(editor), logged_in(second_editor)
        stale = opened_form(second, story)
        assert first.post(change_url(story), opened_form(first, story)).status_code == 302
        assert second.post(change_url(story), stale).status_code == 200
        fresh = opened_form(second, Article.objects.get(pk=story.pk))
        fresh.update(lead="Merged by hand.")
        assert second.post(change_url(story), fresh).status_code == 302
        assert Article.objects.get(pk=story.pk).lead == "Merged by hand."

    def test_the_model_refuses_a_stale_copy_whoever_saves_it(self):
        story = ArticleFactory()
        stale = Article.objects.get(pk=story.pk)
        story.headline = "First"
        story.save()
        stale.headline = "Second"
        with pytest.raises(StaleVersionError):
            stale.save()
        assert Article.objects.get(pk=story.pk).headline == "First"


class TestSoftLock:
    def test_others_see_who_is_editing_since_when(self, editor, second_editor):
        story = ArticleFactory()
        opened_at = timezone.localtime().strftime("%H:%M")
        logged_in(editor).get(change_url(story))
        page = logged_in(second_editor).get(change_url(story)).content.decode()
        assert f"Edith is editing since {opened_at}." in page
        assert "Take over editing" in page
        assert "is editing since" not in logged_in(editor).get(change_url(story)).content.decode()

    def test_lock_lapses_without_heartbeat_and_lasts_with_it(self, editor, second_editor):
        story = ArticleFactory()
        holder = logged_in(editor)
        with time_machine.travel(timezone.now(), tick=False) as clock:
            holder.get(change_url(story))
            clock.shift(timedelta(seconds=EDIT_LOCK_SECONDS - 30))
            heartbeat = reverse("admin:articles_article_lock", args=[story.pk])
            assert holder.post(heartbeat).status_code == 204
            clock.shift(timedelta(seconds=EDIT_LOCK_SECONDS - 30))
            page = logged_in(second_editor).get(change_url(story)).content.decode()
            assert "Edith is editing" in page
            clock.shift(timedelta(seconds=EDIT_LOCK_SECONDS + 1))
            assert holder.post(heartbeat).status_code == 409

    def test_an_editor_can_take_over_a_journalist_cannot(self, journalist, editor, second_editor):
        story = ArticleFactory(draft=True, created_by=journalist)
        logged_in(editor).get(change_url(story))
        take_over = reverse("admin:articles_article_lock", args=[story.pk])
        assert logged_in(journalist).post(take_over, {"take_over": "1"}).status_code == 403
        taker = logged_in(second_editor)
        assert taker.post(take_over, {"take_over": "1"}).status_code == 302
        page = logged_in(editor).get(change_url(story)).content.decode()
        assert "Emil is editing since" in page

    def test_heartbeat_script_is_served_and_no_inline_script(self, editor):
        page = logged_in(editor).get(change_url(ArticleFactory())).content.decode()
        assert "js/edit-lock.js" in page and "data-edit-lock-url=" in page
