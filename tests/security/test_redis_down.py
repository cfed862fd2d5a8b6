"""Redis stopped: the site serves uncached pages and takes reviews; /healthz says so."""

import pytest
from django.core.cache import cache
from django.test import override_settings
from django.urls import reverse

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import closed_port, post_review

pytestmark = pytest.mark.django_db


def tolerant_redis(location):
    return {
        "default": {
            "BACKEND": "core.cache_backends.ResilientRedisCache",
            "LOCATION": location,
            "KEY_PREFIX": "newsroom-tests",
            "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
        }
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
