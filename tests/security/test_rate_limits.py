"""Every public POST answers a flood with 429 and Retry-After."""

import pytest
from django.urls import reverse
from django.utils import translation

from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import post_review

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.200"


def test_review_post_flood_gets_429_with_retry_after(client):
    story = ArticleFactory()
    assert post_review(client, story, ip=ADDRESS, email="a@example.com").status_code == 302
    second = post_review(client, story, ip=ADDRESS, email="b@example.com", body="Again.")
    assert second.status_code == 429
    assert 1 <= int(second["Retry-After"]) <= 15


def test_report_flood_gets_429_with_retry_after(client, settings):
    settings.RATE_LIMIT_REPORTS = "3/m"
    reviews = CommentFactory.create_batch(4)
    statuses = []
    for review in reviews:
        with translation.override(review.article.language):
            url = reverse("comments:report", kwargs={"comment_id": review.pk})
        response = client.post(url, {"reason": "spam"}, REMOTE_ADDR=ADDRESS)
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429]
    assert int(response["Retry-After"]) >= 1


def test_report_limit_is_per_reader(client, settings):
    settings.RATE_LIMIT_REPORTS = "1/m"
    first, second = CommentFactory.create_batch(2)
    with translation.override("en"):
        urls = [reverse("comments:report", kwargs={"comment_id": c.pk}) for c in (first, second)]
    assert client.post(urls[0], {"reason": "spam"}, REMOTE_ADDR=ADDRESS).status_code == 302
    assert client.post(urls[1], {"reason": "spam"}, REMOTE_ADDR="192.0.2.9").status_code == 302


def test_most_read_beacon_flood_gets_429_with_retry_after(client, settings):
    settings.RATE_LIMIT_BEACON = "5/m"
    story = ArticleFactory()
    with translation.override("en"):
        url = reverse("articles:beacon", kwargs={"pk": story.pk})
    statuses = [
        client.post(url, HTTP_USER_AGENT="Mozilla/5.0", REMOTE_ADDR=ADDRESS).status_code
        for _ in range(6)
    ]
    assert statuses == [204] * 5 + [429]
    response = client.post(url, HTTP_USER_AGENT="Mozilla/5.0", REMOTE_ADDR=ADDRESS)
    assert int(response["Retry-After"]) >= 1


def test_most_read_beacon_counts_readers_behind_a_trusted_proxy_apart(client, settings):
    """The beacon keys its limit on ``core.readers.client_ip``: four readers behind one of
    our proxies are four readers, not one address sharing a limit (and a count)."""
    settings.RATE_LIMIT_BEACON = "2/m"
    settings.TRUSTED_PROXIES = ["10.0.0.1"]
    story = ArticleFactory()
    with translation.override("en"):
        url = reverse("articles:beacon", kwargs={"pk": story.pk})
    statuses = [
        client.post(
            url,
            HTTP_USER_AGENT="Mozilla/5.0",
            REMOTE_ADDR="10.0.0.1",
            HTTP_X_FORWARDED_FOR=f"198.51.100.{reader}",
        ).status_code
        for reader in range(1, 5)
    ]
    assert statuses == [204, 204, 204, 204]
    assert story.view_counts.get().views == 4
