"""Signed, expiring preview links for drafts, shared outside the admin."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.core import signing
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.preview import PREVIEW_MAX_AGE, preview_url
from tests.factories import ArticleFactory
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return ArticleFactory(draft=True, headline="Embargoed: new cabinet named")


def test_editor_creates_a_link_that_works_without_login(client, editor, draft):
    admin = logged_in(editor)
    url = reverse("admin:articles_article_preview_link", args=[draft.pk])
    response = admin.post(url, follow=True)
    link = re.search(r"http://testserver(/en/preview/[^ <]+/)", response.content.decode())
    assert link, response.content.decode()
    preview = client.get(link.group(1))
    assert preview.status_code == 200
    assert "Embargoed: new cabinet named" in preview.content.decode()
    assert "Preview — not published" in preview.content.decode()
    assert "no-store" in preview["Cache-Control"] and "private" in preview["Cache-Control"]
    assert "noindex" in preview["X-Robots-Tag"]


def test_link_expires(client, draft):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        link = preview_url(draft)
        clock.shift(timedelta(seconds=PREVIEW_MAX_AGE - 60))
        assert client.get(link).status_code == 200
        clock.shift(timedelta(seconds=120))
        assert client.get(link).status_code == 404


def test_tampered_link_is_refused(client, draft):
    other = ArticleFactory(draft=True)
    link = preview_url(draft)
    payload = lambda pk: signing.b64_encode(str(pk).encode()).decode()  # noqa: E731
    assert f"/{payload(draft.pk)}:" in link
    assert client.get(link.replace(payload(draft.pk), payload(other.pk))).status_code == 404
    assert client.get(link[:-3] + "xx/").status_code == 404


def test_link_stops_once_published(client, draft):
    link = preview_url(draft)
    Article.objects.filter(pk=draft.pk).update(
        status=Article.Status.PUBLISHED, published_at=timezone.now()
    )
    assert client.get(link).status_code == 404


def test_only_those_who_publish_may_create_links(journalist, draft):
    url = reverse("admin:articles_article_preview_link", args=[draft.pk])
    assert logged_in(journalist).post(url).status_code == 403
