"""The revision screens are no way round the workflow (issue 14, item 1).

Reverting and recovering obey the rules of editing and publishing: only someone who may
change a story as it stands now reverts it, a version that is not the story's own is
refused, only the story in the address is reverted, and only editors recover deleted ones.
"""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Byline, Correction, RelatedLink, Section
from articles.services import article_transition
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CorrectionFactory,
    RelatedLinkFactory,
)
from tests.helpers import admin_save, logged_in, recover_url, revision_url, story_form_data

pytestmark = pytest.mark.django_db

CHANGELIST = "/admin/articles/article/"
# Far above any id the test database hands out, so an explicit id collides only on purpose.
COLLIDING_ID = 900_001


@pytest.fixture
def published_by_editor(journalist, editor):
    """Jana's story, written in two saves of her draft, then published by Edith."""
    story = ArticleFactory(draft=True, created_by=journalist, headline="Council meets")
    client = logged_in(journalist)
    admin_save(client, story, headline="Council meets on Monday")
    admin_save(client, story, lead="The agenda is long.")
    article_transition(article=story, user=editor, action="publish")
    return Article.objects.get(pk=story.pk)


def test_a_journalist_cannot_revert_her_story_once_an_editor_published_it(
    journalist, published_by_editor
):
    story = published_by_editor
    first_draft = Version.objects.get_for_object(story).last()
    assert first_draft.field_dict["status"] == Article.Status.DRAFT
    client = logged_in(journalist)
    url = revision_url(story, first_draft)
    assert client.get(url).status_code == 403
    response = client.post(url, story_form_data(story, headline="Council meets on Monday"))
    assert response.status_code == 403
    after = Article.objects.get(pk=story.pk)
    assert (after.lead, after.version) == ("The agenda is long.", story.version)
    assert after.is_published


def _colliding_row(kind, story):
    """A row of ``kind`` on ``story`` whose id is COLLIDING_ID."""
    if kind is Byline:
        return BylineFactory(pk=COLLIDING_ID, article=story)
    if kind is RelatedLink:
        return RelatedLinkFactory(pk=COLLIDING_ID, article=story)
    return CorrectionFactory(pk=COLLIDING_ID, article=story)


@pytest.mark.parametrize("kind", [Byline, RelatedLink, Correction])
def test_a_version_of_another_kind_with_the_id_of_a_draft_reverts_nothing(
    kind, journalist, editor
):
    """Reversion looked a version up by its object id alone: a byline, related link or
    correction of an editor's story whose id equals the id of a draft of Jana's reverted
    the editor's whole revision when Jana saved "her" draft on the revert screen."""
    draft = ArticleFactory(pk=COLLIDING_ID, draft=True, created_by=journalist)
    story = ArticleFactory(headline="Budget passes")
    _colliding_row(kind, story)
    editor_client = logged_in(editor)
    admin_save(editor_client, story, lead="By a narrow margin.")
    admin_save(editor_client, story, headline="Budget passes after an all-night session")
    old_revision = Version.objects.get_for_object(story).last().revision
    stolen = Version.objects.get_for_model(kind).get(revision=old_revision)
    assert stolen.object_id == str(draft.pk)
    url = reverse("admin:articles_article_revision", args=[draft.pk, stolen.pk])
    client = logged_in(journalist)
    assert client.get(url).status_code == 404
    assert client.post(url, story_form_data(draft)).status_code == 404
    after = Article.objects.get(pk=story.pk)
    assert after.headline == "Budget passes after an all-night session"
    assert kind.objects.filter(pk=COLLIDING_ID, article=story).exists()


def test_another_storys_version_is_refused(journalist, editor):
    draft = ArticleFactory(draft=True, created_by=journalist)
    story = ArticleFactory(headline="Budget passes")
    admin_save(logged_in(editor), story, headline="Budget passes at last")
    version = Version.objects.get_for_object(story).get()
    url = reverse("admin:articles_article_revision", args=[draft.pk, version.pk])
    assert logged_in(journalist).post(url, story_form_data(draft)).status_code == 404
    assert Article.objects.get(pk=story.pk).headline == "Budget passes at last"


def test_a_revert_touches_only_the_story_in_its_address(journalist, editor):
    """A changelist action takes its steps in one revision, so a revision can hold several
    stories: Jana's translations of two stories start as drafts in one. Once an editor has
    finished and published the second, Jana reverting her first draft leaves it alone."""
    sources = [ArticleFactory(headline="Roadworks"), ArticleFactory(headline="School reopens")]
    client = logged_in(journalist)
    selected = [source.pk for source in sources]
    client.post(CHANGELIST, {"action": "translate_into_ru", "_selected_action": selected})
    first, second = (
        Article.objects.get(translation_group=source.translation_group, language="ru")
        for source in sources
    )
    shared = Version.objects.get_for_object(first).get()
    assert Version.objects.get_for_object(second).get().revision == shared.revision
    admin_save(logged_in(editor), second, headline="Школа снова открыта")
    article_transition(article=second, user=editor, action="publish")
    response = client.post(revision_url(first, shared), story_form_data(first))
    assert response.status_code == 302  # her own draft: she may
    second = Article.objects.get(pk=second.pk)
    assert second.headline == "Школа снова открыта" and second.is_published


@pytest.fixture
def deleted_story(editor):
    story = ArticleFactory(headline="Flood warning")
    admin_save(logged_in(editor), story, lead="Rivers are rising.")
    logged_in(editor).post(
        reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"}
    )
    return Version.objects.get_deleted(Article).get()


def test_a_journalist_cannot_recover_deleted_stories(journalist, deleted_story):
    client = logged_in(journalist)
    assert client.get(reverse("admin:articles_article_recoverlist")).status_code == 403
    assert client.get(recover_url(deleted_story)).status_code == 403
    stored = deleted_story.field_dict
    data = story_form_data(
        section=Section.objects.get(), headline="Flood warning", slug=stored["slug"]
    )
    assert client.post(recover_url(deleted_story), data).status_code == 403
    assert not Article.objects.exists()
    assert "Recover deleted" not in client.get(CHANGELIST).content.decode()


def test_recover_refuses_versions_of_stories_that_still_exist(editor):
    story = ArticleFactory(headline="Flood warning")
    BylineFactory(article=story)
    client = logged_in(editor)
    admin_save(client, story, lead="Rivers are rising.")
    admin_save(client, story, headline="Flood warning lifted")
    old_revision = Version.objects.get_for_object(story).last().revision
    for version in old_revision.version_set.all():  # the story's, and its byline's
        assert client.get(recover_url(version)).status_code == 404
        assert client.post(recover_url(version), story_form_data(story)).status_code == 404
    assert Article.objects.get(pk=story.pk).headline == "Flood warning lifted"
    assert "Recover deleted" in client.get(CHANGELIST).content.decode()
