"""The optional CDN purge (core/cdn.py sends, articles/cdn.py picks a story's pages),
against a fake CDN on loopback."""

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest

from articles.services import article_transition
from tests.factories import ArticleFactory
from tests.helpers import staff_in_role

pytestmark = pytest.mark.django_db

# Loopback ports this project's tests may use for servers they start.
TEST_PORTS = range(8030, 8040)


class FakeCdn(BaseHTTPRequestHandler):
    purged = []

    def do_PURGE(self):
        FakeCdn.purged.append(parse_qs(urlparse(self.path).query)["url"][0])
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def fake_cdn(settings):
    for port in TEST_PORTS:
        try:
            server = ThreadingHTTPServer(("127.0.0.1", port), FakeCdn)
            break
        except OSError:
            continue
    else:
        pytest.fail("no free port in 8030-8039 for the fake CDN")
    FakeCdn.purged = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{port}/purge?url={{url}}"
    settings.CDN_PURGE_METHOD = "PURGE"
    settings.SITE_URL = "https://news.example"
    yield FakeCdn.purged
    server.shutdown()
    server.server_close()


def test_publishing_purges_the_story_and_the_pages_that_list_it(
    fake_cdn, django_capture_on_commit_callbacks
):
    draft = ArticleFactory(draft=True, section__slug="economics", slug="harvest")
    editor = staff_in_role("edith", "Editors")
    with django_capture_on_commit_callbacks(execute=True):
        article_transition(article=draft, user=editor, action="publish")
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
    assert fake_cdn == []


def test_a_cdn_that_does_not_answer_never_fails_the_save(
    settings, django_capture_on_commit_callbacks, caplog
):
    settings.CDN_PURGE_URL = "http://127.0.0.1:8039/closed?url={url}"
    story = ArticleFactory()
    with django_capture_on_commit_callbacks(execute=True):
        story.headline = "Saved anyway"
        story.save()
    story.refresh_from_db()
    assert story.headline == "Saved anyway"
    assert "CDN purge" in caplog.text


def test_no_purge_url_means_no_purge(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as callbacks:
        ArticleFactory()
    assert not any("purge" in repr(callback) for callback in callbacks)
