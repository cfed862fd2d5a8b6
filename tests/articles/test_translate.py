""" "Translate into …": a draft in another language, in the story's translation group."""

import pytest
from django.contrib.auth.models import Permission
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Byline
from articles.services import TranslationExists, article_translate
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    ImageFactory,
    StaffFactory,
)
from tests.helpers import logged_in, story_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def story():
    story = ArticleFactory(
        kicker="Harvest",
        headline="Fizuli farmers bring in a record harvest",
        lead_image=ImageFactory(),
        tags=["farming", "Fizuli"],
    )
    BylineFactory(article=story, role=Byline.Role.REPORTER, position=0)
    BylineFactory(article=story, role=Byline.Role.PHOTOGRAPHER, position=1)
    return story


def translate_url(article, language):
    return reverse("admin:articles_article_translate", args=[article.pk, language])


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def test_the_draft_copies_what_does_not_depend_on_the_language(story, journalist):
    draft = article_translate(article=story, language="ru", user=journalist)

    draft.refresh_from_db()
    assert draft.language == "ru"
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is None
    assert draft.translation_group == story.translation_group
    assert draft.created_by == journalist
    assert (draft.kicker, draft.headline, draft.lead, draft.body) == (
        story.kicker, story.headline, story.lead, story.body,
    )  # fmt: skip
    assert draft.section == story.section
    assert draft.lead_image == story.lead_image
    assert sorted(draft.tags.names()) == ["Fizuli", "farming"]
    assert [(b.contributor_id, b.role, b.position) for b in draft.bylines.all()] == [
        (b.contributor_id, b.role, b.position) for b in story.bylines.all()
    ]
    # The source is untouched and both now list each other as translations.
    assert list(Article.objects.translations_of(story)) == [draft]
    assert story.bylines.count() == 2


def test_the_draft_starts_its_history_with_the_user_and_its_bylines(story, journalist):
    draft = article_translate(article=story, language="az", user=journalist)

    first = Version.objects.get_for_object(draft).get()
    assert first.revision.user == journalist
    assert f"#{story.pk}" in first.revision.get_comment()
    assert Version.objects.filter(revision=first.revision, content_type__model="byline").count()


def test_a_second_translation_into_the_same_language_is_refused(story, editor):
    first = article_translate(article=story, language="ru", user=editor)

    with pytest.raises(TranslationExists) as refused:
        article_translate(article=story, language="ru", user=editor)
    # From another member of the group, too.
    with pytest.raises(TranslationExists):
        article_translate(article=first, language="ru", user=editor)
    with pytest.raises(TranslationExists):
        article_translate(article=first, language="en", user=editor)
    assert refused.value.article == first
    assert Article.objects.filter(translation_group=story.translation_group).count() == 2


def test_only_users_who_may_add_stories_can_translate(story, moderator):
    with pytest.raises(PermissionDenied):
        article_translate(article=story, language="ru", user=moderator)
    assert not Article.objects.translations_of(story).exists()


def test_the_change_page_offers_the_missing_languages_only(story, editor):
    ArticleFactory(translation_group=story.translation_group, language="ru")
    page = logged_in(editor).get(change_url(story)).content.decode()

    assert translate_url(story, "az") in page
    assert "Translate into Azerbaijani" in page
    assert translate_url(story, "ru") not in page
    assert translate_url(story, "en") not in page


def test_the_button_makes_the_draft_and_opens_it(story, journalist):
    client = logged_in(journalist)
    response = client.post(translate_url(story, "az"), follow=True)

    draft = Article.objects.get(translation_group=story.translation_group, language="az")
    assert response.redirect_chain == [(change_url(draft), 302)]
    # The journalist owns the draft, so may edit it.
    assert response.status_code == 200
    assert "add the translator to the bylines" in response.content.decode()


def test_the_button_refuses_an_existing_language_and_links_to_it(story, editor):
    existing = ArticleFactory(
        translation_group=story.translation_group, language="ru", headline="Урожай в Физули"
    )
    response = logged_in(editor).post(translate_url(story, "ru"), follow=True)

    assert response.redirect_chain == [(change_url(story), 302)]
    page = response.content.decode()
    assert "already has a version" in page
    assert f'<a href="{change_url(existing)}">Урожай в Физули</a>' in page
    assert Article.objects.filter(translation_group=story.translation_group).count() == 2


def test_the_button_needs_a_post_and_the_add_permission(story, moderator):
    viewer = StaffFactory(username="viewer")
    viewer.user_permissions.add(Permission.objects.get(codename="view_article"))
    assert logged_in(viewer).post(translate_url(story, "ru")).status_code == 403
    assert logged_in(moderator).post(translate_url(story, "ru")).status_code == 403
    superuser_client = logged_in(StaffFactory(is_superuser=True))
    assert superuser_client.get(translate_url(story, "ru")).status_code == 403
    assert not Article.objects.translations_of(story).exists()


def test_the_changelist_action_translates_the_selected_stories(story, editor):
    other = ArticleFactory()
    ArticleFactory(translation_group=other.translation_group, language="ru")
    response = logged_in(editor).post(
        reverse("admin:articles_article_changelist"),
        {"action": "translate_into_ru", "_selected_action": [story.pk, other.pk]},
        follow=True,
    )

    draft = Article.objects.get(translation_group=story.translation_group, language="ru")
    # One draft made: the editor lands on it; the other story already had Russian.
    assert response.redirect_chain[-1] == (change_url(draft), 302)
    assert "already has a version" in response.content.decode()
    assert Article.objects.filter(translation_group=other.translation_group).count() == 2


def test_a_story_has_one_version_per_language_in_the_database(story):
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(translation_group=story.translation_group, language=story.language)


def test_changing_a_translations_language_to_a_taken_one_is_refused_with_a_reason(story, editor):
    draft = article_translate(article=story, language="ru", user=editor)
    client = logged_in(editor)

    response = client.post(change_url(draft), story_form_data(draft, language="en"))

    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["language"]
    assert errors == [
        "This story already has a version in that language: “Fizuli farmers bring in a "
        "record harvest”. Edit that one instead."
    ]
    draft.refresh_from_db()
    assert draft.language == "ru"


def test_the_translation_gets_a_slug_from_its_own_headline(story, editor, client):
    draft = article_translate(article=story, language="ru", user=editor)
    assert draft.slug == story.slug  # made from the source headline, in another language
    client.force_login(editor)
    data = story_form_data(draft, headline="Фермеры Физули собрали рекордный урожай")
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "fermery-fizuli-sobrali-rekordnyi-urozhai"


def test_a_typed_or_published_slug_stays(story, editor, client):
    client.force_login(editor)
    data = story_form_data(story, headline="A headline rewritten after publication")
    assert client.post(change_url(story), data).status_code == 302
    story.refresh_from_db()
    assert story.slug == "fizuli-farmers-bring-in-a-record-harvest"
    draft = article_translate(article=story, language="az", user=editor)
    data = story_form_data(draft, headline="Füzuli fermerləri rekord məhsul topladı",
                           slug="fuzuli-mehsul")  # fmt: skip
    assert client.post(change_url(draft), data).status_code == 302
    draft.refresh_from_db()
    assert draft.slug == "fuzuli-mehsul"
