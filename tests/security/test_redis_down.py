"""Redis stopped: the site serves uncached pages and takes reviews; /healthz says so."""

import logging

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from comments.models import Comment
from newsroom.settings.caches import redis_url_next_db
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import closed_port, post_review

pytestmark = pytest.mark.django_db


def tolerant_redis(location, counters=None):
    """Pages in ``location``, rate-limit counters in ``counters`` (the next database of
    the same Redis unless given), as production has them."""
    return {
        alias: {
            "BACKEND": "core.cache_backends.ResilientRedisCache",
            "LOCATION": url,
            "KEY_PREFIX": "newsroom-tests",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
        for alias, url in [
            ("default", location),
            ("ratelimits", counters or redis_url_next_db(location)),
        ]
    }


@pytest.fixture
def redis_down():
    with override_settings(CACHES=tolerant_redis(f"redis://127.0.0.1:{closed_port()}/8")):
        yield


def test_reader_pages_are_served_uncached(client, redis_down):
    story = ArticleFactory()
    CommentFactory(article=story)
    for url in [reverse("articles:home"), reverse("articles:news_line"), story.get_absolute_url()]:
        assert client.get(url).status_code == 200


def test_a_review_is_still_taken(client, redis_down):
    story = ArticleFactory()
    assert post_review(client, story).status_code == 302
    assert Comment.objects.filter(article=story).count() == 1


def test_rate_limits_are_lifted_while_redis_is_down(client, redis_down):
    """No counter can be kept, so none is enforced (``RATELIMIT_FAIL_OPEN``): refusing
    every reader would be worse. The database's defences (form stamp, duplicates, bans,
    pre-moderation) still hold."""
    story = ArticleFactory()
    assert post_review(client, story, ip="198.51.100.7", email="a@example.com").status_code == 302
    again = post_review(client, story, ip="198.51.100.7", email="b@example.com", body="Again.")
    assert again.status_code == 302
    assert Comment.objects.filter(article=story).count() == 2


def test_the_counters_redis_down_alone_is_logged_once(client, caplog, monkeypatch):
    """Pages' Redis up, counters' Redis down: one warning for the outage, not a "down" and
    "back" pair on every request (the two answer to separate outage records)."""
    monkeypatch.setattr("core.cache_backends._unreachable", set())
    story = ArticleFactory()
    caches = tolerant_redis("redis://127.0.0.1:6379/8", f"redis://127.0.0.1:{closed_port()}/9")
    with (
        override_settings(CACHES=caches),
        caplog.at_level(logging.WARNING, logger="core.cache_backends"),
    ):
        for reader in range(3):
            assert post_review(client, story, ip=f"198.51.100.{reader + 1}").status_code == 302
        cache.clear()
    warnings = [record.getMessage() for record in caplog.records]
    assert len(warnings) == 1 and "unreachable" in warnings[0]


def test_most_read_beacon_still_answers(client, redis_down):
    story = ArticleFactory()
    url = reverse("articles:beacon", kwargs={"pk": story.pk})
    assert client.post(url, HTTP_USER_AGENT="Mozilla/5.0").status_code == 204


def test_healthz_reports_the_cache_unavailable(client, redis_down):
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"


def test_a_running_redis_is_used_normally(client):
    with override_settings(CACHES=tolerant_redis("redis://127.0.0.1:6379/8")):
        cache.set("probe", "here")
        assert cache.get("probe") == "here"
        assert client.get(reverse("healthz")).json()["cache"] == "ok"
        cache.delete("probe")
