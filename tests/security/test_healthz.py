"""/healthz: the database, the cache and the task queue, 200 or 503, nothing sensitive."""

from datetime import timedelta

import pytest
import time_machine
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from tests.core import probe_tasks
from tests.helpers import closed_port, run_tasks

pytestmark = pytest.mark.django_db


def test_healthy_site_answers_200_with_each_check(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "database": "ok",
        "cache": "ok",
        "tasks": "ok",
        "oldest_task_seconds": 0,
    }
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
    assert response.json() == {
        "status": "unavailable",
        "database": "ok",
        "cache": "unavailable",
        "tasks": "ok",
        "oldest_task_seconds": 0,
    }
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


def test_a_task_waiting_past_the_threshold_answers_503(client, settings):
    """Dead workers show: the oldest due task's age passes TASKS_MAX_QUEUE_AGE."""
    settings.TASKS_MAX_QUEUE_AGE = 60
    with time_machine.travel(timezone.now() - timedelta(seconds=90)):
        probe_tasks.note.enqueue("waiting")
    planned = probe_tasks.note.using(run_after=timezone.now() + timedelta(hours=1))
    planned.enqueue("not due yet")
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["tasks"] == "late"
    assert 90 <= response.json()["oldest_task_seconds"] < 100
    run_tasks()
    assert client.get(reverse("healthz")).json()["tasks"] == "ok"


def test_a_planned_task_counts_from_its_time_not_from_when_it_was_planned(client, settings):
    settings.TASKS_MAX_QUEUE_AGE = 60
    with time_machine.travel(timezone.now() - timedelta(hours=2)):
        probe_tasks.note.using(run_after=timezone.now() + timedelta(minutes=119)).enqueue("x")
    response = client.get(reverse("healthz"))
    assert response.json()["tasks"] == "ok"
    assert 55 <= response.json()["oldest_task_seconds"] <= 60
