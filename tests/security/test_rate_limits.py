"""Every public POST answers a flood with 429 and Retry-After."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone, translation

from comments.models import Comment
from newsroom.settings.caches import redis_cache, redis_url_next_db
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import flood_page_cache, post_review

pytestmark = pytest.mark.django_db
ADDRESS = "198.51.100.200"
ROOT = Path(__file__).resolve().parents[2]


def test_review_post_flood_gets_429_with_retry_after(client):
    story = ArticleFactory()
    assert post_review(client, story, ip=ADDRESS, email="a@example.com").status_code == 302
    second = post_review(client, story, ip=ADDRESS, email="b@example.com", body="Again.")
    assert second.status_code == 429
    assert 1 <= int(second["Retry-After"]) <= 15


def test_a_flood_of_uncached_pages_does_not_lift_the_review_limit(client, settings):
    """The counters have a cache of their own ("ratelimits"): page views that fill the
    page cache past its size and make it cull leave them where they were."""
    settings.PAGE_CACHE_SECONDS = 300
    story = ArticleFactory()
    # The clock stands still, so the third review is inside the first one's 15 s window
    # however long the flood takes.
    with time_machine.travel(timezone.now(), tick=False):
        assert post_review(client, story, ip=ADDRESS, email="a@example.com").status_code == 302
        assert post_review(client, story, ip=ADDRESS, email="b@example.com").status_code == 429
        flood_page_cache()
        third = post_review(client, story, ip=ADDRESS, email="c@example.com", body="Third.")
    assert third.status_code == 429
    assert not Comment.objects.filter(email="c@example.com").exists()


def test_clearing_the_page_cache_in_redis_keeps_the_counters(client, settings):
    """In production pages and counters are two Redis databases: FLUSHDB of the pages
    (``cache.clear()``, or an operator's) leaves every limit in place."""
    settings.CACHES = {
        "default": {**redis_cache("redis://127.0.0.1:6379/10"), "KEY_PREFIX": "newsroom-tests"},
        "ratelimits": {**redis_cache("redis://127.0.0.1:6379/11"), "KEY_PREFIX": "newsroom-tests"},
    }
    story = ArticleFactory()
    try:
        assert post_review(client, story, ip=ADDRESS, email="a@example.com").status_code == 302
        caches["default"].clear()
        second = post_review(client, story, ip=ADDRESS, email="b@example.com", body="Again.")
        assert second.status_code == 429
    finally:
        caches["ratelimits"].clear()


@pytest.mark.parametrize(
    ("url", "counters"),
    [
        ("redis://cache.internal:6379/0", "redis://cache.internal:6379/1"),
        ("redis://cache.internal:6379", "redis://cache.internal:6379/1"),
        ("rediss://:secret@cache.internal:6380/4", "rediss://:secret@cache.internal:6380/5"),
        ("unix:///run/redis.sock?db=2", "unix:///run/redis.sock?db=3"),
    ],
)
def test_counters_take_the_redis_database_after_the_pages(url, counters):
    assert redis_url_next_db(url) == counters


@pytest.mark.parametrize(
    ("environment", "counters"),
    [
        ({}, "redis://cache.internal:6379/3"),
        (
            {"RATELIMIT_REDIS_URL": "redis://limits.internal:6379/0"},
            "redis://limits.internal:6379/0",
        ),
    ],
)
def test_production_counts_in_a_redis_database_of_their_own(environment, counters):
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({'caches': s.CACHES, 'use': s.RATELIMIT_USE_CACHE}))",
        ],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
            "SECRET_KEY": "k3y-for-this-check-only-Ow9sQm4rT8vXz2LpN6aYbC1dEfGh5jK7xx",
            "REDIS_URL": "redis://cache.internal:6379/2",
            **environment,
        },
        capture_output=True,
        text=True,
        check=True,
    )
    configured = json.loads(result.stdout)
    assert configured["use"] == "ratelimits"
    assert configured["caches"]["default"]["LOCATION"] == "redis://cache.internal:6379/2"
    assert configured["caches"]["ratelimits"]["LOCATION"] == counters
    assert (
        configured["caches"]["ratelimits"]["BACKEND"] == "core.cache_backends.ResilientRedisCache"
    )


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
