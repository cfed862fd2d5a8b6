"""Signed preview links for drafts, shared outside the admin: one story, one language,
until the story goes live (for good) or an editor revokes the link."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import Article, PreviewLink
from articles.models.previews import PREVIEW_MAX_AGE
from articles.preview import preview_link_create
from articles.services import article_transition
from tests.factories import ArticleFactory
from tests.helpers import change_url, logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(draft=True, headline="Embargoed: new cabinet named")


@pytest.fixture
def link(draft, editor):
    return preview_link_create(article=draft, user=editor)


def opens(client, address):
    response = client.get(address)
    assert response.status_code in {200, 404}, response.status_code
    return response.status_code == 200


def test_editor_creates_a_link_that_works_without_login(client, editor, draft):
    admin = logged_in(editor)
    url = reverse("admin:articles_article_preview_link", args=[draft.pk])
    response = admin.post(url, follow=True)
    link = re.search(r"http://testserver(/en/preview/[^ <]+/)", response.content.decode())
    assert link, response.content.decode()
    preview = client.get(link.group(1))
    assert preview.status_code == 200
    assert "Embargoed: new cabinet named" in preview.content.decode()
    assert "This is a preview" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert "noindex" in preview["X-Robots-Tag"]


def test_the_story_form_lists_its_open_links_with_who_shared_them(editor, draft, link):
    page = logged_in(editor).get(change_url(draft)).content.decode()
    assert "Shared preview links" in page
    # The link's own id; its time of signing is the page's (a second may have passed).
    payload = link.split("/")[-2].split(":")[0]
    assert f'href="http://testserver{link.rsplit("/", 2)[0]}/{payload}:' in page
    assert "Shared by edith on " in page


def test_link_expires(client, draft, editor):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = preview_link_create(article=draft, user=editor)
        clock.shift(PREVIEW_MAX_AGE - timedelta(seconds=60))
        assert opens(client, link)
        clock.shift(timedelta(seconds=120))
        assert not opens(client, link)


def test_every_part_of_the_token_is_checked(client, editor, draft, link):
    """Another link's id under this link's time and signature, another time, a forged
    signature, another language's prefix: each is the reader's 404, never the story."""
    other = preview_link_create(article=ArticleFactory(draft=True), user=editor)
    token = link.split("/")[-2]
    payload, stamp, signature = token.split(":")
    other_payload = other.split("/")[-2].split(":")[0]
    assert other_payload != payload
    later = signing.b62_encode(signing.b62_decode(stamp) + 1)
    forged = {
        "id": f"{other_payload}:{stamp}:{signature}",
        "timestamp": f"{payload}:{later}:{signature}",
        "signature": f"{payload}:{stamp}:{signature[:-2]}xx",
        "no signature": f"{payload}:{stamp}",
    }
    assert opens(client, link) and opens(client, other)
    for part, bad in forged.items():
        assert not opens(client, f"/en/preview/{bad}/"), part
    for language in ["ru", "az"]:
        assert not opens(client, link.replace("/en/", f"/{language}/", 1)), language


def test_a_link_opens_only_the_story_in_its_own_language(client, editor):
    russian = ArticleFactory(draft=True, language="ru", headline="Новый кабинет")
    link = preview_link_create(article=russian, user=editor)
    assert link.startswith("/ru/preview/")
    assert "Новый кабинет" in client.get(link).content.decode()
    assert not opens(client, link.replace("/ru/", "/en/", 1))


def test_link_stops_once_published(client, draft, link):
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    assert not opens(client, link)


def test_link_stays_dead_when_the_story_is_unpublished_again(client, editor, draft, link):
    article_transition(article=draft, user=editor, action="publish")
    article_transition(article=draft, user=editor, action="unpublish")
    assert not opens(client, link)
    fresh = preview_link_create(article=draft, user=editor)
    assert opens(client, fresh)


def test_a_scheduled_story_previews_until_it_goes_live_and_never_after(client, editor, draft):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = preview_link_create(article=draft, user=editor)
        article_transition(
            article=draft,
            user=editor,
            action="schedule",
            published_at=timezone.now() + timedelta(hours=1),
        )
        assert opens(client, link)
        clock.shift(timedelta(hours=2))
        assert not opens(client, link)
        article_transition(article=draft, user=editor, action="unpublish")
        assert not opens(client, link)


def test_an_editor_revokes_a_link(client, editor, draft, link):
    pk = PreviewLink.objects.get().pk
    revoke = reverse("admin:articles_article_revoke_preview_link", args=[draft.pk, pk])
    response = logged_in(editor).post(revoke, follow=True)
    assert "The preview link opens nothing any more." in response.content.decode()
    assert not opens(client, link)
    assert "Shared preview links" not in response.content.decode()


def test_only_those_who_publish_may_create_or_revoke_links(journalist, draft, link):
    create = reverse("admin:articles_article_preview_link", args=[draft.pk])
    assert logged_in(journalist).post(create).status_code == 403
    pk = PreviewLink.objects.get().pk
    revoke = reverse("admin:articles_article_revoke_preview_link", args=[draft.pk, pk])
    assert logged_in(journalist).post(revoke).status_code == 403
    assert PreviewLink.objects.usable().count() == 1


def test_a_link_of_another_story_cannot_be_revoked_through_this_one(editor, draft, link):
    other = ArticleFactory(draft=True)
    pk = PreviewLink.objects.get().pk
    revoke = reverse("admin:articles_article_revoke_preview_link", args=[other.pk, pk])
    assert logged_in(editor).post(revoke).status_code == 404
    assert PreviewLink.objects.usable().count() == 1
