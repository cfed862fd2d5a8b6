"""The admin as editors meet it (issue 16): sections named in the newsroom's words and
languages, breadcrumbs that read "Stories › <headline>", the favicon, messages that name
the story, a preview link with a copy button and a preview banner that reads as a sentence.
"""

import re
from html import unescape

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from articles.models import Article
from articles.services import article_transition
from tests.factories import ArticleFactory, SuperuserFactory
from tests.helpers import change_url, logged_in, story_form_data

pytestmark = pytest.mark.django_db

LIBRARY_NAMES = ["Axes", "AXES", "Otp_Totp", "OTP_TOTP", "Taggit", "TAGGIT", "Tasks Database"]


def app_names(client, language):
    response = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE=language)
    assert response.status_code == 200
    return [
        name
        for app in response.context["app_list"]
        for name in [str(app["name"]), *(str(model["name"]) for model in app["models"])]
    ]


def test_every_admin_section_has_a_human_name():
    names = app_names(logged_in(SuperuserFactory()), "en")
    assert not [name for name in names if any(lib in name for lib in LIBRARY_NAMES)]
    for name in ["Login security", "Two-factor login", "Tags", "Background tasks"]:
        assert name in names


@pytest.mark.parametrize("language", ["ru", "az"])
def test_the_admin_index_speaks_the_admins_language(language):
    """No English name left in the Russian or Azerbaijani admin's sections."""
    client = logged_in(SuperuserFactory())
    english = set(app_names(client, "en"))
    assert [name for name in app_names(client, language) if name in english] == []


@pytest.mark.parametrize("language", ["ru", "az"])
def test_the_desk_pages_speak_the_admins_language(language, editor, journalist):
    story = ArticleFactory(draft=True, created_by=journalist)
    article_transition(article=story, user=journalist, action="submit")
    client = logged_in(editor)
    for address in [
        reverse("admin:index"),
        reverse("admin:articles_article_changelist"),
        reverse("admin:articles_notification_changelist"),
        change_url(story),
    ]:
        page = client.get(address, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for english in ["new notification", "My notifications", "Waiting for me",
                        "My stories", "submitted", "Withdraw", "time (UTC"]:  # fmt: skip
            assert english not in page, (address, english)


def test_breadcrumbs_read_stories_then_the_headline(editor):
    story = ArticleFactory(headline="Restoring hope: Presidents inspect reconstruction efforts")
    page = logged_in(editor).get(change_url(story)).content.decode()
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', page, re.S).group(1)
    text = " ".join(unescape(re.sub(r"<[^>]+>", "", crumbs)).split())
    assert text == "Home › Stories › Restoring hope: Presidents inspect reconstruction efforts"
    changelist = logged_in(editor).get(reverse("admin:articles_article_changelist"))
    crumbs = re.search(r'<div class="breadcrumbs">(.*?)</div>', changelist.content.decode(), re.S)
    assert " ".join(unescape(re.sub(r"<[^>]+>", "", crumbs.group(1))).split()) == "Home › Stories"


def test_the_admin_has_its_favicon(editor):
    page = logged_in(editor).get(reverse("admin:index")).content.decode()
    icon = re.search(r'<link rel="icon" href="/static/([^"]+)"', page).group(1)
    assert finders.find(icon)


def test_a_workflow_message_names_the_story(editor):
    story = ArticleFactory(draft=True, headline="Kura bridge opens")
    response = logged_in(editor).post(
        change_url(story), story_form_data(story, _workflow="publish"), follow=True
    )
    messages = [str(message) for message in response.context["messages"]]
    assert "“Kura bridge opens” is now: Published." in messages
    assert not [message for message in messages if "object" in message]


def test_a_preview_link_is_a_link_with_a_copy_button(editor):
    story = ArticleFactory(draft=True)
    client = logged_in(editor)
    client.post(reverse("admin:articles_article_preview_link", args=[story.pk]))
    page = client.get(change_url(story)).content.decode()
    link = re.search(r'<a href="(http://testserver/en/preview/[^"]+)" [^>]*id="([^"]+)"', page)
    assert link, "the preview address is a link"
    assert f'data-copy-target="{link.group(2)}"' in page
    assert "js/copy-link.js" in page


def test_the_preview_banner_reads_as_a_sentence(client, editor):
    story = ArticleFactory(draft=True)
    page = logged_in(editor).get(story.get_absolute_url()).content.decode()
    banner = re.search(r'class="banner banner--preview"[^>]*>(.*?)</div></div>', page, re.S)
    text = " ".join(re.sub(r"<[^>]+>", "", banner.group(1)).split())
    assert text == (
        "This is a preview of a story that is not published (draft): readers cannot see it."
    )
    assert Article.objects.get(pk=story.pk).status == "draft"
