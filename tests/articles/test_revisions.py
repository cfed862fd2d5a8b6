"""Revisions (django-reversion): every admin save keeps one; compare, revert, recover.

Who may revert or recover what is in tests/security/test_revisions_bypass.py.
"""

import pytest
import reversion
from django.urls import reverse
from reversion.models import Version

from articles.models import Article, Correction
from articles.services import article_transition
from tests.factories import ArticleFactory, BylineFactory, CorrectionFactory
from tests.helpers import admin_save, logged_in, recover_url, revision_url, story_form_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def edited(editor):
    """A story saved three times in the admin."""
    story = ArticleFactory(headline="Bridge opens", body="<p>The bridge opened.</p>")
    client = logged_in(editor)
    admin_save(client, story, lead="First lead.")
    admin_save(client, story, headline="Bridge opens in May")
    body = "<p>The bridge opened.</p><p>Traffic <b>doubled</b> & more.</p>"
    admin_save(client, story, body=body)
    return story


def test_three_saves_keep_three_revisions_with_who_and_when(editor, edited):
    versions = Version.objects.get_for_object(edited)
    assert versions.count() == 3
    assert {version.revision.user for version in versions} == {editor}
    history = logged_in(editor).get(reverse("admin:articles_article_history", args=[edited.pk]))
    assert history.content.decode().count("edith") >= 3
    assert "Compare two revisions" in history.content.decode()


def test_comparison_shows_the_text_as_readers_read_it_with_words_marked(editor, edited):
    """Issue 16: words, not HTML lines; the text escaped, never the stored markup."""
    newest, _middle, oldest = Version.objects.get_for_object(edited)
    url = reverse("admin:articles_article_compare", args=[edited.pk])
    page = logged_in(editor).get(url, {"from": oldest.pk, "to": newest.pk}).content.decode()
    assert "Bridge opens<ins> in May</ins>" in page
    assert "<ins>Traffic doubled &amp; more.</ins>" in page
    assert "&lt;p&gt;" not in page and "<b>doubled" not in page
    assert "Kicker — unchanged" in page
    assert page.index("<h2>Headline") < page.index("<h2>Lead") < page.index("<h2>Body")


def test_comparison_marks_words_inside_an_edited_paragraph(editor):
    story = ArticleFactory(body="<h2>Kura bridge</h2><p>The bridge opened on Monday.</p>")
    client = logged_in(editor)
    admin_save(client, story, lead="A lead.")
    admin_save(client, story, body="<h2>Kura bridge</h2><p>The new bridge opened on Friday.</p>")
    newest, oldest = Version.objects.get_for_object(story)
    url = reverse("admin:articles_article_compare", args=[story.pk])
    page = logged_in(editor).get(url, {"from": oldest.pk, "to": newest.pk}).content.decode()
    assert "The<ins> new</ins> bridge opened on <del>Monday</del><ins>Friday</ins>." in page
    assert '<p class="diff-block diff-block--h2 diff-block--same">Kura bridge</p>' in page


def test_comparison_lists_the_other_fields_that_changed(editor):
    story = ArticleFactory(comments_mode="open")
    client = logged_in(editor)
    admin_save(client, story, lead="A lead.")
    admin_save(client, story, comments_mode="closed", seo_title="Bridge")
    newest, oldest = Version.objects.get_for_object(story)
    url = reverse("admin:articles_article_compare", args=[story.pk])
    page = logged_in(editor).get(url, {"from": oldest.pk, "to": newest.pk}).content.decode()
    others = page[page.index("Other changes") :]
    assert "<del>Open: reviews appear at once unless held</del>" in others
    assert "<ins>Closed: no new reviews</ins>" in others
    assert "<ins>Bridge</ins>" in others and "Version" not in others


def test_stored_markup_is_never_output_as_markup(editor):
    """A revision's body is read as text: markup stored unsanitised (written around the
    model's save, or tampered with) is never output as markup."""
    story = ArticleFactory(body="<p>Old text.</p>")
    client = logged_in(editor)
    admin_save(client, story, lead="A lead.")
    raw = "<p>Old text. <script>alert(1)</script>&lt;img src=x onerror=alert(2)&gt;</p>"
    Article.objects.filter(pk=story.pk).update(body=raw)  # around clean_body()
    with reversion.create_revision():
        reversion.add_to_revision(Article.objects.get(pk=story.pk))
    newest, oldest = Version.objects.get_for_object(story)[:2]
    url = reverse("admin:articles_article_compare", args=[story.pk])
    page = logged_in(editor).get(url, {"from": oldest.pk, "to": newest.pk}).content.decode()
    assert "alert(1)" not in page and "<img src=x" not in page
    assert "&lt;img src=x onerror=alert(2)&gt;" in page


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


def test_a_revert_form_opened_before_another_save_is_refused_as_stale(
    editor, second_editor, edited
):
    oldest = Version.objects.get_for_object(edited).last()
    client = logged_in(editor)
    opened = client.get(revision_url(edited, oldest)).context["adminform"].form
    admin_save(logged_in(second_editor), edited, kicker="Transport")
    live = Article.objects.get(pk=edited.pk)
    data = story_form_data(
        live, headline="Bridge opens", opened_version=opened["opened_version"].value()
    )
    response = client.post(revision_url(edited, oldest), data)
    assert response.status_code == 200 and "after you opened it" in response.text
    after = Article.objects.get(pk=edited.pk)
    assert (after.headline, after.kicker, after.version) == (
        "Bridge opens in May", "Transport", live.version,
    )  # fmt: skip


def test_a_revision_whose_address_another_story_took_is_refused_with_a_message(editor):
    story = ArticleFactory(headline="Bridge opens", slug="bridge-opens")
    client = logged_in(editor)
    admin_save(client, story, lead="First lead.")
    old = Version.objects.get_for_object(story).get()
    admin_save(client, story, slug="bridge-opens-in-may")
    ArticleFactory(headline="Another bridge", slug="bridge-opens")
    live = Article.objects.get(pk=story.pk)
    response = client.post(revision_url(live, old), story_form_data(live), follow=True)
    assert "cannot be brought back" in response.text
    assert Article.objects.get(pk=story.pk).slug == "bridge-opens-in-may"


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


def test_an_editor_reverting_a_published_story_keeps_it_published_and_says_so(editor):
    """A revert brings back what the story said, not where it stood: a revision kept while
    it was a draft does not unpublish it. The step is in its status history."""
    story = ArticleFactory(draft=True, headline="Tram line approved")
    client = logged_in(editor)
    admin_save(client, story, lead="Work starts next year.")
    as_draft = Version.objects.get_for_object(story).get()
    admin_save(client, story, headline="Tram line approved by the council")
    published = article_transition(article=story, user=editor, action="publish")
    published = Article.objects.get(pk=published.pk)
    response = client.post(
        revision_url(story, as_draft), story_form_data(published, headline="Tram line approved")
    )
    assert response.status_code == 302
    reverted = Article.objects.get(pk=story.pk)
    assert reverted.headline == "Tram line approved" and reverted.is_published
    # The form sends the time to the second; the revert itself leaves it as it was.
    assert reverted.published_at == published.published_at.replace(microsecond=0)
    step = reverted.status_changes.first()
    assert (step.user, step.from_state, step.to_state) == (editor, "published", "published")
    assert step.note.startswith("Reverted to the revision of ")


def test_reverting_a_published_story_keeps_the_corrections_added_since(client, editor, edited):
    """Issue 14, item 2: reversion's revert deleted every row the old revision did not hold,
    the story's newer corrections among them. Corrections are the public record: a revert
    keeps them, and readers still see them."""
    oldest = Version.objects.get_for_object(edited).last()
    CorrectionFactory(article=edited, text="The bridge opens in June, not May.")
    editor_client = logged_in(editor)
    admin_save(editor_client, edited, kicker="Transport")
    live = Article.objects.get(pk=edited.pk)
    data = story_form_data(live, headline="Bridge opens", body="<p>The bridge opened.</p>")
    assert editor_client.post(revision_url(live, oldest), data).status_code == 302
    assert Article.objects.get(pk=edited.pk).headline == "Bridge opens"
    assert list(Correction.objects.values_list("text", flat=True)) == [
        "The bridge opens in June, not May."
    ]
    assert "The bridge opens in June, not May." in client.get(live.get_absolute_url()).text


def test_a_revert_rewrites_no_correction(editor):
    """A correction edited while its story was a draft keeps its newer text after the story
    is out, whichever revision the story is brought back to."""
    story = ArticleFactory(draft=True, headline="Fire at the docks")
    correction = CorrectionFactory(article=story, text="Two crews, not three.")
    client = logged_in(editor)
    admin_save(client, story, lead="Nobody was hurt.")
    first = Version.objects.get_for_object(story).get()
    correction.text = "Three crews, not four."
    correction.save()
    admin_save(client, story, headline="Fire at the docks is out")
    story = article_transition(article=story, user=editor, action="publish")
    data = story_form_data(Article.objects.get(pk=story.pk), headline="Fire at the docks")
    assert client.post(revision_url(story, first), data).status_code == 302
    assert Correction.objects.get().text == "Three crews, not four."


def test_a_recovered_story_gets_its_bylines_and_corrections_back(editor):
    story = ArticleFactory(headline="Harbour reopens")
    BylineFactory(article=story)
    CorrectionFactory(article=story, text="The harbour reopened on Tuesday.")
    client = logged_in(editor)
    admin_save(client, story, lead="Ships are back.")
    client.post(reverse("admin:articles_article_delete", args=[story.pk]), {"post": "yes"})
    deleted = Version.objects.get_deleted(Article).get()
    stored = deleted.field_dict
    data = story_form_data(story, lead=stored["lead"], opened_version=stored["version"])
    assert client.post(recover_url(deleted), data).status_code == 302
    recovered = Article.objects.get(pk=story.pk)
    assert recovered.bylines.count() == 1 and recovered.is_published
    assert [c.text for c in recovered.corrections.all()] == ["The harbour reopened on Tuesday."]
    step = recovered.status_changes.get()
    assert step.user == editor and step.note.startswith("Recovered from the revision of ")
