import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.utils import translation

from tests.e2e.chromium import status_line
from tests.factories import StaffFactory
from tests.helpers import staff_in_role


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with empty caches (pages and fragments, rate-limit counters), so
    nothing cached leaks between tests.

    The content-type cache too: a transactional test's flush recreates content types with
    new ids, and a stale id would file tags (django-taggit) under a type that is gone.
    """
    clear_caches()
    ContentType.objects.clear_cache()
    yield
    clear_caches()


@pytest.fixture(autouse=True)
def _default_language(settings):
    """Each test starts in the site's default language: a request or a task that ran in
    another leaves it active in the thread (a revision comment then comes out in Russian)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


def clear_caches():
    for cache in caches.all():
        cache.clear()


@pytest.fixture
def staff_client(client):
    client.force_login(StaffFactory(is_superuser=True))
    return client


def pytest_report_header(config):
    """Say up front whether the browser tests in tests/e2e/ will run."""
    return status_line()


# The newsroom's people, one of each role and a second journalist and editor (the groups
# come from newsroom/migrations/0002_roles.py).
@pytest.fixture
def journalist():
    return staff_in_role("jana", "Journalists")


@pytest.fixture
def other_journalist():
    return staff_in_role("oleg", "Journalists")


@pytest.fixture
def editor():
    return staff_in_role("edith", "Editors")


@pytest.fixture
def second_editor():
    return staff_in_role("emil", "Editors")


@pytest.fixture
def moderator():
    return staff_in_role("mona", "Moderators")


# A CDN on loopback that records what it is asked to purge (core/cdn.py) --------------
# Loopback ports this project's tests may use for servers they start.
TEST_PORTS = range(8030, 8040)


class FakeCdn(BaseHTTPRequestHandler):
    purged = []
    failures_left = 0  # Answer 503 to this many requests first (a CDN having a bad minute).

    def do_PURGE(self):
        if FakeCdn.failures_left:
            FakeCdn.failures_left -= 1
            self.send_response(503)
            self.end_headers()
            return
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
    FakeCdn.purged, FakeCdn.failures_left = [], 0
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    settings.CDN_PURGE_URL = f"http://127.0.0.1:{port}/purge?url={{url}}"
    settings.CDN_PURGE_METHOD = "PURGE"
    settings.SITE_URL = "https://news.example"
    yield FakeCdn.purged
    server.shutdown()
    server.server_close()
