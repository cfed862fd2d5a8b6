"""Revisions (django-reversion): every admin save keeps one; compare, revert, recover."""

import pytest
from django.urls import reverse
from reversion.models import Version

from articles.models import Article
from tests.factories import ArticleFactory
from tests.helpers import change_url, logged_in, story_form_data

pytestmark = pytest.mark.django_db


def save(client, story, **changes):
    story = Article.objects.get(pk=story.pk)
    response = client.post(change_url(story), story_form_data(story, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


@pytest.fixture
def edited(editor):
    """A story saved three times in the admin."""
    story = ArticleFactory(headline="Bridge opens", body="<p>The bridge opened.</p>")
    client = logged_in(editor)
    save(client, story, lead="First lead.")
    save(client, story, headline="Bridge opens in May")
    save(client, story, body="<p>The bridge opened.</p><p>Traffic <b>doubled</b> & more.</p>")
    return story


def test_three_saves_keep_three_revisions_with_who_and_when(editor, edited):
    versions = Version.objects.get_for_object(edited)
    assert versions.count() == 3
    assert {version.revision.user for version in versions} == {editor}
    history = logged_in(editor).get(reverse("admin:articles_article_history", args=[edited.pk]))
    assert history.content.decode().count("edith") >= 3
    assert "Compare two revisions" in history.content.decode()


def test_comparison_shows_the_change_escaped(editor, edited):
    newest, _middle, oldest = Version.objects.get_for_object(edited)
    url = reverse("admin:articles_article_compare", args=[edited.pk])
    page = logged_in(editor).get(url, {"from": oldest.pk, "to": newest.pk}).content.decode()
    assert "<del>Bridge opens</del>" in page and "<ins>Bridge opens in May</ins>" in page
    assert (
        "<ins>&lt;p&gt;Traffic &lt;b&gt;doubled&lt;/b&gt; &amp;amp; more.&lt;/p&gt;</ins>" in page
    )
    assert "Kicker — unchanged" in page


def test_revert_restores_the_old_text_and_the_version_moves_on(editor, edited):
    oldest = Version.objects.get_for_object(edited).last()
    live = Article.objects.get(pk=edited.pk)
    url = reverse("admin:articles_article_revision", args=[edited.pk, oldest.pk])
    client = logged_in(editor)
    form = client.get(url).context["adminform"].form
    assert form["headline"].value() == "Bridge opens"
    assert form["opened_version"].value() == live.version
    data = story_form_data(live, headline="Bridge opens", body="<p>The bridge opened.</p>")
    assert client.post(url, data).status_code == 302
    reverted = Article.objects.get(pk=edited.pk)
    assert reverted.headline == "Bridge opens" and "Traffic" not in reverted.body
    assert reverted.version == live.version + 1


def test_a_deleted_story_can_be_recovered(editor, edited):
    client = logged_in(editor)
    client.post(reverse("admin:articles_article_delete", args=[edited.pk]), {"post": "yes"})
    assert not Article.objects.filter(pk=edited.pk).exists()
    recover_list = client.get(reverse("admin:articles_article_recoverlist")).content.decode()
    assert "Bridge opens in May" in recover_list
    deleted = Version.objects.get_deleted(Article).get()
    url = reverse("admin:articles_article_recover", args=[deleted.pk])
    data = story_form_data(edited, headline="Bridge opens in May", opened_version=4)
    data["body"] = deleted.field_dict["body"]
    data["slug"] = deleted.field_dict["slug"]
    assert client.post(url, data).status_code == 302
    assert Article.objects.get(pk=edited.pk).headline == "Bridge opens in May"
