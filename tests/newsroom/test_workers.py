"""Task workers as separate processes, on the same database as the test: two of them
drain a queue, one purges a scheduled story at its time.

These tests commit (the workers are other processes), so they are transactional; they sit
here, after tests/e2e/ in pytest-django's order, so the flush after them never runs before
the browser tests."""

import os
import subprocess
import sys
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.services import article_transition
from tests.core import probe_tasks
from tests.factories import ArticleFactory
from tests.helpers import staff_in_role

ROOT = Path(__file__).resolve().parents[2]


def worker_env(**extra):
    """The environment of a worker process using this test's database."""
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        url = "postgres://{USER}@{HOST}:{PORT}/{NAME}".format(**settings_dict)
    else:
        url = f"sqlite:///{settings_dict['NAME']}"
    return {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "newsroom.settings.test",
        **extra,
    }


@pytest.mark.django_db(transaction=True)
def test_two_workers_draining_200_tasks_run_each_exactly_once(tmp_path):
    """Two worker processes on the same database (on PostgreSQL they claim rows with
    SELECT ... FOR UPDATE SKIP LOCKED; SQLite serialises them): every task runs once."""
    trace = tmp_path / "trace.txt"
    for n in range(200):
        probe_tasks.note.enqueue(f"task-{n}", str(trace))
    env = worker_env()
    command = [sys.executable, "manage.py", "db_worker", "--batch", "--interval", "0",
               "--no-startup-delay", "--no-reload", "--verbosity", "0"]  # fmt: skip
    workers = [
        subprocess.Popen([*command, "--worker-id", name], cwd=ROOT, env=env)  # noqa: S603
        for name in ["worker-a", "worker-b"]
    ]
    assert [worker.wait(timeout=120) for worker in workers] == [0, 0]
    lines = trace.read_text().splitlines()
    assert len(lines) == 200 and set(lines) == {f"task-{n}" for n in range(200)}
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    ran_by = {worker for ids in DBTaskResult.objects.values_list("worker_ids", flat=True)
              for worker in ids}  # fmt: skip
    assert ran_by == {"worker-a", "worker-b"}
    assert all(len(ids) == 1 for ids in DBTaskResult.objects.values_list("worker_ids", flat=True))


@pytest.mark.django_db(transaction=True)
def test_a_scheduled_story_is_purged_within_2_seconds_of_its_time(fake_cdn):
    """A worker runs as in production; nobody visits the site at the story's time."""
    env = worker_env(
        CDN_PURGE_URL=settings.CDN_PURGE_URL,
        CDN_PURGE_METHOD="PURGE",
        SITE_URL="https://news.example",
    )
    worker = subprocess.Popen(
        [sys.executable, "manage.py", "db_worker", "--interval", "0.2", "--no-startup-delay",
         "--no-reload", "--verbosity", "0"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        editor = staff_in_role("edith", "Editors")
        draft = ArticleFactory(draft=True, section__slug="economics", slug="at-noon")
        goes_live = timezone.now() + timedelta(seconds=3)
        article_transition(article=draft, user=editor, action="schedule", published_at=goes_live)
        story_url = "https://news.example/en/economics/at-noon/"
        deadline = time.monotonic() + 3 + 2
        while time.monotonic() < deadline:
            if fake_cdn.count(story_url) == 2:  # On scheduling, and at its time.
                break
            time.sleep(0.05)
        purged_at = timezone.now()
        assert fake_cdn.count(story_url) == 2, fake_cdn
        assert goes_live <= purged_at <= goes_live + timedelta(seconds=2)
    finally:
        worker.terminate()
        worker.wait(timeout=10)
