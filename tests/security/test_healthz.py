"""/healthz: the database and the cache, 200 or 503, nothing sensitive."""

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.helpers import closed_port

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_with_each_check(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_unreachable_cache_answers_503_naming_the_cache_only(client):
    port = closed_port()
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/8",
        }
    }
    with override_settings(CACHES=redis):
        response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "cache": "unavailable"}
    assert str(port) not in response.content.decode()


def test_reachable_redis_answers_200(client):
    redis = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/8",
            "KEY_PREFIX": "newsroom-tests",
        }
    }
    with override_settings(CACHES=redis):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json()["cache"] == "ok"
