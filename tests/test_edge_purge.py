"""core/cdn.py's tag purge: every invalidate_tags reaches each edge in EDGE_PURGE_URLS
from a worker after commit, as PURGE with xkey-purge, and is retried while an edge fails."""

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone

from core.cache import invalidate_tags
from core.tasks import RETRY_DELAYS
from tests.helpers import run_tasks


class FakeEdge(BaseHTTPRequestHandler):
    purged = []
    failures_left = 0

    def do_PURGE(self):
        if FakeEdge.failures_left:
            FakeEdge.failures_left -= 1
            self.send_response(503)
        else:
            FakeEdge.purged.append(self.headers["xkey-purge"])
            self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def edge(settings):
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeEdge)
    FakeEdge.purged, FakeEdge.failures_left = [], 0
    threading.Thread(target=server.serve_forever, daemon=True).start()
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{server.server_port}/"]
    yield FakeEdge
    server.shutdown()
    server.server_close()


@pytest.mark.django_db
def test_invalidated_tags_are_purged_at_the_edge_by_a_worker_after_commit(
    edge, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            invalidate_tags(["reviews:7", "story:7"])
        assert edge.purged == []  # Nothing inside the request: a worker sends it.
    run_tasks()
    assert edge.purged == ["reviews:7 story:7"]


@pytest.mark.django_db
def test_a_rolled_back_change_purges_nothing(edge, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        invalidate_tags(["story:7"])
        raise RuntimeError
    run_tasks()
    assert edge.purged == []


@pytest.mark.django_db
def test_an_edge_that_fails_is_purged_again_later(edge, django_capture_on_commit_callbacks):
    edge.failures_left = 1
    with time_machine.travel(timezone.now(), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            invalidate_tags(["story:7"])
        run_tasks()
        assert edge.purged == []
        clock.shift(timedelta(seconds=RETRY_DELAYS[0]))
        run_tasks()
    assert edge.purged == ["story:7"]
