"""Autosave: the writer's unsaved text kept per person and story, never the story itself."""

import json
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from reversion.models import Version

from articles import locks
from articles.models import Article, StoryAutosave, story_key
from tests.factories import ArticleFactory, SectionFactory
from tests.helpers import change_url, logged_in, story_form_data

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:articles_article_add")
NEW_URL = reverse("admin:articles_article_autosave_new")
# The session, the user, and the one upsert (no permission tables, no story row).
AUTOSAVE_QUERIES = 3


def autosave_url(story):
    return reverse("admin:articles_article_autosave", args=[story.pk])


def typed(story=None, **changes):
    """What story-desk.js posts: the story form's fields as typed, and the pickers' labels."""
    data = story_form_data(story, section=None if story else SectionFactory(), **changes)
    data["_labels"] = json.dumps({"section": "Economy"})
    return data


@pytest.fixture
def draft(journalist):
    return ArticleFactory(draft=True, created_by=journalist, headline="Bridge opens")


@pytest.fixture
def writing(journalist, draft):
    """The journalist with the draft's change form open (so holding its edit lock)."""
    client = logged_in(journalist)
    assert client.get(change_url(draft)).status_code == 200
    return client


def new_story_token(client):
    form = client.get(ADD_URL).content.decode()
    start = form.index('name="_autosave_token" value="') + len('name="_autosave_token" value="')
    return form[start : form.index('"', start)]


class TestStoringAnAutosave:
    def test_is_cheap_writes_no_revision_and_leaves_the_story_alone(
        self, writing, draft, journalist, django_assert_max_num_queries
    ):
        versions = Version.objects.count()
        with django_assert_max_num_queries(AUTOSAVE_QUERIES):
            response = writing.post(
                autosave_url(draft), typed(draft, headline="Bridge opens at last")
            )
        assert response.status_code == 200
        saved = StoryAutosave.objects.get(user=journalist, article=draft)
        assert response.json()["label"] == "Saved at " + timezone.localtime(
            saved.saved_at
        ).strftime("%H:%M")
        assert saved.data["fields"]["headline"] == "Bridge opens at last"
        assert saved.data["labels"] == {"section": "Economy"}
        assert "csrfmiddlewaretoken" not in saved.data["fields"]
        assert not any("-" in name for name in saved.data["fields"])  # no inline rows
        assert Version.objects.count() == versions
        story = Article.objects.get(pk=draft.pk)
        assert (story.headline, story.version) == ("Bridge opens", draft.version)

    def test_a_second_autosave_replaces_the_first(self, writing, draft, journalist):
        writing.post(autosave_url(draft), typed(draft, lead="One"))
        writing.post(autosave_url(draft), typed(draft, lead="Two"))
        assert StoryAutosave.objects.get(user=journalist).data["fields"]["lead"] == "Two"

    def test_refused_while_someone_else_holds_the_edit_lock(self, writing, draft, editor):
        locks.claim_edit_lock(draft.pk, editor, take_over=True)
        response = writing.post(autosave_url(draft), typed(draft, lead="Mine"))
        assert response.status_code == 409
        assert "Edith" in response.json()["error"]
        assert not StoryAutosave.objects.exists()

    def test_refused_without_the_lock_of_an_opened_form(self, journalist, other_journalist):
        """Holding the lock is the proof of having been let into the story's form."""
        hers = ArticleFactory(draft=True, created_by=other_journalist)
        client = logged_in(journalist)
        page = client.get(change_url(hers)).content.decode()
        assert "data-autosave-url" not in page  # not hers to edit: shown, not offered
        assert client.post(autosave_url(hers), typed(hers)).status_code == 409
        assert not StoryAutosave.objects.exists()

    def test_new_story_with_the_key_its_add_form_signed(
        self, journalist, django_assert_max_num_queries
    ):
        client = logged_in(journalist)
        data = {**typed(headline="Night trains"), "_autosave_token": new_story_token(client)}
        with django_assert_max_num_queries(AUTOSAVE_QUERIES):
            response = client.post(NEW_URL, data)
        assert response.status_code == 200
        saved = StoryAutosave.objects.get(user=journalist)
        assert saved.article is None and saved.client_key.startswith("new-")
        assert saved.data["fields"]["headline"] == "Night trains"

    def test_a_new_story_key_signed_for_someone_else_is_refused(self, journalist, editor):
        token = new_story_token(logged_in(editor))
        response = logged_in(journalist).post(NEW_URL, {**typed(), "_autosave_token": token})
        assert response.status_code == 403
        assert (
            logged_in(journalist)
            .post(NEW_URL, {**typed(), "_autosave_token": "new-1:x"})
            .status_code
            == 403
        )
        assert not StoryAutosave.objects.exists()

    def test_only_for_staff(self, client, draft):
        response = client.post(autosave_url(draft), typed(draft))
        assert response.status_code == 302  # to the admin's login
        assert not StoryAutosave.objects.exists()


class TestRestoreOffer:
    def test_reopening_offers_the_autosave_with_its_exact_text(self, writing, draft):
        body = '<h2>Who built it</h2><ul><li>Engineers</li></ul><p><a href="https://example.org">Plans</a></p>'
        writing.post(autosave_url(draft), typed(draft, body=body))
        saved = StoryAutosave.objects.get()
        page = writing.get(change_url(draft)).content.decode()
        time = timezone.localtime(saved.saved_at).strftime("%H:%M")
        assert f"Restore your unsaved changes from {time}?" in page
        offered = page[page.index('id="autosave-data"') :]
        data = json.loads(offered[offered.index(">") + 1 : offered.index("</script>")])
        assert data["fields"]["body"] == body

    def test_not_offered_once_the_story_was_saved_since(self, writing, draft, editor):
        writing.post(autosave_url(draft), typed(draft, lead="Unsaved"))
        with time_machine.travel(timezone.now() + timedelta(minutes=1)):
            Article.objects.get(pk=draft.pk).save()
        assert "Restore your unsaved" not in writing.get(change_url(draft)).content.decode()

    def test_expired_autosaves_are_not_offered_and_are_cleaned(self, writing, draft):
        writing.post(autosave_url(draft), typed(draft, lead="Old"))
        later = timezone.now() + timedelta(days=8)
        with time_machine.travel(later):
            assert "Restore your unsaved" not in writing.get(change_url(draft)).content.decode()
            call_command("clean_story_autosaves")
        assert not StoryAutosave.objects.exists()

    def test_the_add_form_offers_the_newest_new_story_autosave(self, journalist):
        client = logged_in(journalist)
        client.post(
            NEW_URL, {**typed(headline="Night trains"), "_autosave_token": new_story_token(client)}
        )
        page = client.get(ADD_URL).content.decode()
        assert "Restore your unsaved changes from" in page
        assert "Night trains" in page  # in the offered data
        assert "data-autosave-offer-token=" in page

    def test_discarding_removes_it(self, writing, draft):
        writing.post(autosave_url(draft), typed(draft, lead="Scrap this"))
        assert writing.post(autosave_url(draft), {"discard": "1"}).json() == {"discarded": True}
        assert not StoryAutosave.objects.exists()
        assert "Restore your unsaved" not in writing.get(change_url(draft)).content.decode()

    def test_someone_elses_autosave_is_never_offered(self, writing, draft, editor):
        writing.post(autosave_url(draft), typed(draft, lead="Jana's"))
        page = logged_in(editor).get(change_url(draft)).content.decode()
        assert "Restore your unsaved" not in page


class TestSavingTheStory:
    def test_removes_the_writers_autosave(self, writing, draft, journalist):
        writing.post(autosave_url(draft), typed(draft, lead="Typed"))
        data = story_form_data(Article.objects.get(pk=draft.pk), lead="Typed and saved")
        assert writing.post(change_url(draft), data).status_code == 302
        assert not StoryAutosave.objects.filter(user=journalist).exists()

    def test_adding_removes_the_new_story_autosave_and_expired_ones(
        self, journalist, writing, draft
    ):
        writing.post(autosave_url(draft), typed(draft, lead="Old"))
        with time_machine.travel(timezone.now() + timedelta(days=8)):
            client = logged_in(journalist)
            token = new_story_token(client)
            client.post(NEW_URL, {**typed(headline="Night trains"), "_autosave_token": token})
            key = StoryAutosave.objects.get(article=None).client_key
            data = story_form_data(section=draft.section, headline="Night trains")
            data.update(_autosave_key=key, _autosave_token=token)
            assert client.post(ADD_URL, data).status_code == 302
        assert not StoryAutosave.objects.exists()

    def test_a_restored_autosave_cannot_save_over_a_newer_save(self, writing, draft, editor):
        """The autosave keeps the version it was typed against: the optimistic lock holds."""
        writing.post(autosave_url(draft), typed(draft, lead="Jana's lead"))
        admin = logged_in(editor)
        newer = story_form_data(Article.objects.get(pk=draft.pk), lead="Edith's lead")
        assert admin.post(change_url(draft), newer).status_code == 302
        restored = StoryAutosave.objects.get().data["fields"]
        response = writing.post(change_url(draft), {**story_form_data(draft), **restored})
        assert response.status_code == 200 and "Nothing was saved" in response.content.decode()
        assert Article.objects.get(pk=draft.pk).lead == "Edith's lead"


def test_change_form_query_count_does_not_grow_with_autosaves(journalist, editor, draft):
    """One query finds the writer's own autosave of the story, however many autosaves
    there are of other stories, new stories and other people."""
    client = logged_in(journalist)
    StoryAutosave.objects.create(
        user=journalist,
        article=draft,
        client_key=story_key(draft.pk),
        data={},
        saved_at=timezone.now(),
    )

    def add_autosaves(n):
        for _ in range(n):
            story = ArticleFactory(draft=True, created_by=journalist)
            for user in (journalist, editor):
                StoryAutosave.objects.create(
                    user=user,
                    article=story,
                    client_key=story_key(story.pk),
                    saved_at=timezone.now(),
                )
                StoryAutosave.objects.create(
                    user=user, client_key=f"new-{story.pk}", saved_at=timezone.now()
                )

    def count():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(change_url(draft)).status_code == 200
        return len(captured)

    add_autosaves(1)
    count()  # the first request of a test loads what later ones find cached
    few = count()
    add_autosaves(15)
    assert count() == few
