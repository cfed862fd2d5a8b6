"""core/cdn.py's tag purge: every invalidate_tags reaches each edge in EDGE_PURGE_URLS
from a worker after commit, as PURGE with xkey-purge, and is retried while an edge fails."""

import json
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

    calls = []

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        FakeEdge.calls.append((self.path, dict(self.headers), body))
        self.send_response(200)
        self.end_headers()

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
    FakeEdge.purged, FakeEdge.failures_left, FakeEdge.calls = [], 0, []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    FakeEdge.url = f"http://127.0.0.1:{server.server_port}"
    settings.EDGE_PURGE_URLS = [f"{FakeEdge.url}/"]
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


@pytest.mark.django_db
def test_fastly_and_cloudflare_are_purged_through_their_apis_in_batches(
    edge, settings, django_capture_on_commit_callbacks
):
    """The same HTTP calls their APIs take, sent to a local stand-in for both."""
    settings.EDGE_PURGE_URLS = []
    settings.FASTLY_API_URL, settings.FASTLY_SERVICE_ID = edge.url, "svc1"
    settings.FASTLY_API_TOKEN = "fastly-token"
    settings.CLOUDFLARE_API_URL, settings.CLOUDFLARE_ZONE_ID = edge.url, "zone9"
    settings.CLOUDFLARE_API_TOKEN = "cf-token"
    tags = [f"story:{n}" for n in range(40)]
    with django_capture_on_commit_callbacks(execute=True):
        invalidate_tags(tags)
    run_tasks()
    fastly = [call for call in edge.calls if call[0] == "/service/svc1/purge"]
    cloudflare = [call for call in edge.calls if call[0] == "/zones/zone9/purge_cache"]
    assert [call[2] for call in fastly] == [{"surrogate_keys": sorted(tags)}]
    assert fastly[0][1]["Fastly-Key"] == "fastly-token"
    assert [len(call[2]["tags"]) for call in cloudflare] == [30, 10]  # Cloudflare's limit.
    assert {tag for call in cloudflare for tag in call[2]["tags"]} == set(tags)
    assert cloudflare[0][1]["Authorization"] == "Bearer cf-token"
