"""Two production servers, one PostgreSQL, one Redis: nothing depends on a single process,
and a PostgreSQL restart in the middle of a flood of reviews loses nothing.

Runs with ``pytest -m servers`` against PostgreSQL (``.ci/run`` does it and fails if any
did not run); ``make test`` leaves it out because it starts real gunicorn processes. The
restart test also needs ``RESTART_POSTGRES=1``: it stops this machine's cluster.
"""

import http.cookiejar
import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from articles.models import Article
from comments.models import Comment
from scripts import load_reviews
from tests.factories import ArticleFactory, SuperuserFactory
from tests.helpers import aged_token, load_test_markers

pytestmark = [
    pytest.mark.servers,
    pytest.mark.django_db(transaction=True),
]

ROOT = Path(__file__).resolve().parents[2]
REDIS_URL = os.environ.get("SERVERS_REDIS_URL", "redis://127.0.0.1:6379/7")
# Loopback ports this project's tests may use for servers they start.
TEST_PORTS = range(8030, 8040)
PASSWORD = "correct horse battery staple"


def staff_member(username):
    """A superuser whose password the servers can check: they run the production
    settings, whose hashers do not include the test settings' fast MD5 one."""
    user = SuperuserFactory(username=username)
    user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt())
    user.save()
    return user


def free_ports(count):
    ports = []
    for port in TEST_PORTS:
        with socket.socket() as probe:
            if probe.connect_ex(("127.0.0.1", port)) != 0:
                ports.append(port)
        if len(ports) == count:
            return ports
    pytest.fail("not enough free ports in 8030-8039")


def database_url():
    db = connection.settings_dict
    password = f":{urllib.parse.quote(db['PASSWORD'])}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"


@pytest.fixture(scope="module")
def static_root(tmp_path_factory):
    return tmp_path_factory.mktemp("static")


def server_env(static_root, bind):
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="newsroom.settings.base",
        DEBUG="0",
        SECRET_KEY=settings.SECRET_KEY,  # Both servers sign with it; so do the tests.
        ALLOWED_HOSTS="127.0.0.1",
        SECURE_SSL_REDIRECT="0",
        SECURE_COOKIES="0",
        DATABASE_URL=database_url(),
        REDIS_URL=REDIS_URL,
        STATIC_ROOT=str(static_root),
        MEDIA_ROOT=str(static_root.parent / "media"),
        CONN_MAX_AGE="60",
        WEB_CONCURRENCY="2",
        BIND=bind,
        LOG_LEVEL="WARNING",
        # The load test's readers each send their own address as X-Forwarded-For.
        TRUSTED_PROXIES="127.0.0.1",
    )
    return env


@pytest.fixture
def servers(transactional_db, static_root):
    if connection.vendor != "postgresql":
        pytest.fail("The two-server test needs PostgreSQL: set DATABASE_URL to postgres://…")
    redis.Redis.from_url(REDIS_URL).flushdb()
    ports = free_ports(2)
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "--verbosity", "0"],
        cwd=ROOT,
        env=server_env(static_root, ""),
        check=True,
    )
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py"],
            cwd=ROOT,
            env=server_env(static_root, f"127.0.0.1:{port}"),
        )
        for port in ports
    ]
    try:
        bases = [f"http://127.0.0.1:{port}" for port in ports]
        for base in bases:
            wait_until_up(base)
        yield bases
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)
        redis.Redis.from_url(REDIS_URL).flushdb()


def wait_until_up(base, seconds=30):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.2)
    pytest.fail(f"{base} did not start")


class Browser:
    """A person with their own cookies, talking HTTP to whichever server they like."""

    def __init__(self):
        self.cookies = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.cookies))

    def get(self, url):
        with self.opener.open(url, timeout=10) as response:
            return response.headers, response.read().decode()

    def post(self, url, data):
        body = urllib.parse.urlencode(data, doseq=True).encode()
        # Sent as a browser sends it: the review form's defence reads Origin (core.origin).
        origin = "{0.scheme}://{0.netloc}".format(urllib.parse.urlsplit(url))
        request = urllib.request.Request(url, body, headers={"Origin": origin})  # noqa: S310
        with self.opener.open(request, timeout=10) as response:
            return response.geturl(), response.read().decode()

    def csrf_token(self, page):
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]

    def log_in(self, base, username):
        _headers, page = self.get(f"{base}/admin/login/")
        landed, _page = self.post(
            f"{base}/admin/login/?next=/admin/",
            {
                "csrfmiddlewaretoken": self.csrf_token(page),
                "username": username,
                "password": PASSWORD,
                "next": "/admin/",
            },
        )
        assert urllib.parse.urlsplit(landed).path == "/admin/", "login failed"

    def admin_action(self, base, changelist, action, pk):
        _headers, page = self.get(f"{base}{changelist}")
        self.post(
            f"{base}{changelist}",
            {
                "csrfmiddlewaretoken": self.csrf_token(page),
                "action": action,
                "_selected_action": [pk],
            },
        )


def reader_get(base, path):
    """An anonymous reader's request: no cookies at all, so the page cache may answer."""
    with urllib.request.urlopen(f"{base}{path}", timeout=10) as response:  # noqa: S310
        return response.headers["X-Page-Cache"], response.read().decode()


def warm(bases, path):
    for base in bases:
        reader_get(base, path)
        status, _page = reader_get(base, path)
        assert status == "hit", f"{base}{path} was not cached"


def test_a_story_published_through_one_server_is_fresh_on_the_other(servers):
    server_a, server_b = servers
    staff_member("edith")
    ArticleFactory(headline="Yesterday's news")
    draft = ArticleFactory(draft=True, headline="Parliament passes the budget")
    warm(servers, "/en/")

    editor = Browser()
    editor.log_in(server_a, "edith")
    editor.admin_action(server_a, "/admin/articles/article/", "publish_now", draft.pk)
    assert Article.objects.get(pk=draft.pk).is_published

    status, page = reader_get(server_b, "/en/")
    assert status == "miss"
    assert "Parliament passes the budget" in page
    _status, page = reader_get(server_a, "/en/")
    assert "Parliament passes the budget" in page


def test_a_review_posted_on_one_and_approved_on_the_other_shows_on_both(servers):
    server_a, server_b = servers
    staff_member("mona")
    story = ArticleFactory(comments_mode="premoderated")
    path = story.get_absolute_url()
    warm(servers, path)

    reader = Browser()
    _headers, page = reader.get(f"{server_a}{path}")
    landed, _page = reader.post(
        f"{server_a}/en/reviews/{story.pk}/post/",
        {
            "token": aged_token(story),
            "author_name": "Nigar",
            "email": "nigar@example.com",
            "body": "A fair and careful report, thank you.",
            "website": "",
            "parent": "",
        },
    )
    assert landed.startswith(f"{server_a}{path}")
    review = Comment.objects.get(article=story)
    assert review.status == Comment.Status.PENDING

    moderator = Browser()
    moderator.log_in(server_b, "mona")
    moderator.admin_action(server_b, "/admin/comments/comment/", "approve_comments", review.pk)
    review.refresh_from_db()
    assert review.status == Comment.Status.APPROVED

    for base in servers:
        _status, page = reader_get(base, path)
        assert "A fair and careful report" in page


def postgres(action):
    """Stop or start this machine's PostgreSQL cluster (the one the servers use)."""
    version = sorted(os.listdir("/etc/postgresql"))[-1]
    command = ["/usr/bin/pg_ctlcluster", "--skip-systemctl-redirect", version, "main", action]
    subprocess.run(command, check=True)  # noqa: S603 (our own fixed arguments)


def answer(url):
    """Status, headers and page of a cookieless GET, whatever the status."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read().decode()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode()


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"gave up waiting for {condition.__doc__}")
        time.sleep(0.2)


@pytest.mark.skipif(
    os.environ.get("RESTART_POSTGRES") != "1",
    reason="restarts this machine's PostgreSQL: set RESTART_POSTGRES=1 (.ci/run does)",
)
def test_postgresql_stopped_and_started_during_review_load(servers):
    stories = [ArticleFactory(comments_mode="open") for _ in range(4)]
    story_urls = [f"{base}{story.get_absolute_url()}" for base in servers for story in stories]
    # Never requested before the outage, so no cached copy can answer for it.
    uncached = ArticleFactory().get_absolute_url()

    def some_reviews_stored():
        """the load to store its first reviews"""
        return Comment.objects.count() >= 10

    with ThreadPoolExecutor(max_workers=1) as background:
        load = background.submit(load_reviews.run, story_urls, reviews=200, concurrency=20)
        wait_for(some_reviews_stored)
        connection.close()
        postgres("stop")
        try:
            for base in servers:
                status, headers, page = answer(f"{base}{uncached}")
                assert status == 503
                assert headers["Retry-After"] == "30"
                assert "Back in a moment" in page and "Traceback" not in page
                status, _headers, health = answer(f"{base}/healthz")
                assert (status, json.loads(health)["database"]) == (503, "unavailable")
            # Long enough for the load's readers to meet the outage too.
            time.sleep(3)
        finally:
            postgres("start")
        recovered = time.monotonic()
        # Nobody restarts the servers: their next requests simply work.
        for base in servers:
            status, _headers, _page = answer(f"{base}{uncached}")
            assert status == 200
        outcomes = load.result()

    connection.close()
    statuses = Counter(outcome.status for outcome in outcomes)
    assert set(statuses) <= {302, 403, 429, 503}, statuses
    assert statuses[503], "no reader met the outage"
    assert all(o.reason for o in outcomes if o.status != 302)
    accepted = {o.marker for o in outcomes if o.status == 302}
    assert any(o.finished > recovered for o in outcomes if o.status == 302), statuses
    stored = load_test_markers()
    # Every reader thanked for a review has it stored, once. A review may also be stored
    # for a reader who got the 503 if its commit beat the connection's loss by a moment.
    assert all(stored[marker] == 1 for marker in accepted), statuses
    assert set(stored.values()) == {1}
    unthanked = set(stored) - accepted
    assert unthanked <= {o.marker for o in outcomes if o.status == 503}
