"""The optional CDN purge (core/cdn.py sends from a task, articles/cdn.py picks a story's
pages and plans the go-live purge), against a fake CDN on loopback and real workers."""

import socket
from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from articles.cdn import purge_story_at_go_live
from articles.models import Article
from articles.services import article_transition
from core.cdn import purge_paths
from core.tasks import RETRY_DELAYS
from tests.conftest import FakeCdn
from tests.factories import ArticleFactory
from tests.helpers import change_url, logged_in, run_tasks, staff_in_role, story_form_data

pytestmark = pytest.mark.django_db


def test_publishing_purges_the_story_and_the_pages_that_list_it(
    fake_cdn, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(draft=True, section__slug="economics", slug="harvest")
    editor = staff_in_role("edith", "Editors")
    with django_capture_on_commit_callbacks(execute=True):
        article_transition(article=draft, user=editor, action="publish")
    assert fake_cdn == []  # Nothing inside the editor's request...
    run_tasks()  # ...a worker sends it.
    assert fake_cdn == [
        "https://news.example/en/economics/harvest/",
        "https://news.example/en/",
        "https://news.example/en/news-line/",
        "https://news.example/en/economics/",
        "https://news.example/en/feed/",
        "https://news.example/en/economics/feed/",
    ]


def test_editing_a_draft_purges_nothing(fake_cdn, django_capture_on_commit_callbacks):
    draft = ArticleFactory(draft=True)
    with django_capture_on_commit_callbacks(execute=True):
        draft.headline = "Still a draft"
        draft.save()
    assert not DBTaskResult.objects.exists()


@pytest.fixture
def no_network(monkeypatch):
    """Any socket connection fails the test's request and is recorded (the database
    drivers connect below Python's socket module, so they are not affected)."""
    attempts = []

    def refuse(self, address, *args):
        attempts.append(address)
        raise OSError("network call inside the request")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    return attempts


def test_an_editors_save_makes_no_network_call_and_the_worker_tries_later(
    settings, django_capture_on_commit_callbacks, no_network, caplog
):
    settings.CDN_PURGE_URL = "http://192.0.2.1:9/purge?url={url}"  # TEST-NET: unreachable
    editor = staff_in_role("edith", "Editors")
    story = ArticleFactory()
    client = logged_in(editor)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(change_url(story), story_form_data(story, headline="Saved"))
    assert response.status_code == 302
    assert no_network == []
    assert Article.objects.get(pk=story.pk).headline == "Saved"
    queued = DBTaskResult.objects.get(task_path="core.cdn.purge_paths")
    assert queued.status == "READY"
    run_tasks()
    assert no_network  # The worker tried, outside any request...
    assert "CDN purge" in caplog.text
    purge = DBTaskResult.objects.filter(task_path="core.cdn.purge_paths", status="READY")
    assert purge.count() == 1  # ...and will again.


def test_a_purge_the_cdn_refuses_twice_is_retried_and_succeeds(fake_cdn):
    FakeCdn.failures_left = 2
    with time_machine.travel(timezone.now(), tick=False) as clock:
        purge_paths.enqueue(["/en/"])
        run_tasks()
        clock.shift(timedelta(seconds=RETRY_DELAYS[0]))
        run_tasks()
        assert fake_cdn == []
        clock.shift(timedelta(seconds=RETRY_DELAYS[1]))
        run_tasks()
    assert fake_cdn == ["https://news.example/en/"]
    statuses = list(DBTaskResult.objects.order_by("enqueued_at").values_list("status", flat=True))
    assert statuses == ["FAILED", "FAILED", "SUCCESSFUL"]


def test_running_the_go_live_purge_twice_purges_the_same_pages(fake_cdn, editor):
    story = ArticleFactory(published_at=timezone.now())
    planned = story.published_at.isoformat()
    purge_story_at_go_live.call(story.pk, planned)
    run_tasks()
    once = list(fake_cdn)
    purge_story_at_go_live.call(story.pk, planned)
    run_tasks()
    assert fake_cdn == once + once  # The same pages: dropping a dropped page changes nothing.


def test_a_moved_time_replans_the_go_live_purge(
    fake_cdn, editor, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(draft=True)
    first, later = timezone.now() + timedelta(hours=1), timezone.now() + timedelta(hours=3)
    with django_capture_on_commit_callbacks(execute=True):
        article_transition(article=draft, user=editor, action="schedule", published_at=first)
    story = Article.objects.get(pk=draft.pk)
    with django_capture_on_commit_callbacks(execute=True):
        story.published_at = later
        story.save()
    assert purge_story_at_go_live.call(draft.pk, first.isoformat()) == "not planned any more"
    with time_machine.travel(later + timedelta(seconds=1)):
        assert purge_story_at_go_live.call(draft.pk, later.isoformat()) == "purge enqueued"
