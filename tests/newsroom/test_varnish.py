"""Varnish (deploy/varnish/newsroom.vcl, with xkey) in front of two gunicorn servers on
PostgreSQL and Redis: readers are answered by Varnish, a review approval reaches the
story page by a tag purge within 2 s while every other page stays a hit, and a purge
from an address outside the ACL is refused. Runs with ``pytest -m servers`` (.ci/run).
"""

import http.client
import os
import shutil
import socket
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from comments.models import Comment
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import run_tasks
from tests.newsroom.test_servers import (  # noqa: F401 (fixtures)
    ROOT,
    Browser,
    servers,
    staff_member,
    static_root,
)

pytestmark = [pytest.mark.servers, pytest.mark.django_db(transaction=True)]

SITE_VCL = """vcl 4.1;
import directors;
{backends}
acl purgers {{ "127.0.0.1"; }}
sub vcl_init {{
    new apps = directors.round_robin();
{adds}
}}
sub vcl_recv {{ set req.backend_hint = apps.backend(); }}
include "newsroom.vcl";
"""


def unused_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def edge_port(monkeypatch, settings):
    """Varnish's port, chosen before the app servers start: they send their purges there."""
    port = unused_port()
    monkeypatch.setenv("EDGE_PURGE_URLS", f"http://127.0.0.1:{port}/")
    settings.EDGE_PURGE_URLS = [f"http://127.0.0.1:{port}/"]
    return port


@pytest.fixture
def varnish(edge_port, servers):  # noqa: F811 (the fixture imported above)
    varnishd = shutil.which("varnishd")
    if not varnishd:
        pytest.fail("varnishd is missing: apt-get install varnish varnish-modules")
    # Varnish reads its files as its own user: pytest's tmp_path is private to this one.
    folder = tempfile.TemporaryDirectory()
    tmp_path = Path(folder.name)
    os.chmod(tmp_path, 0o755)  # noqa: S103 (read-only to others; test files)
    ports = [int(base.rsplit(":", 1)[1]) for base in servers]
    (tmp_path / "site.vcl").write_text(
        SITE_VCL.format(
            backends="\n".join(
                f'backend app{n} {{ .host = "127.0.0.1"; .port = "{port}"; }}'
                for n, port in enumerate(ports)
            ),
            adds="\n".join(f"    apps.add_backend(app{n});" for n in range(len(ports))),
        )
    )
    port = edge_port
    process = subprocess.Popen(  # noqa: S603 (our own arguments)
        [
            varnishd, "-F", "-n", str(tmp_path / "work"), "-a", f"127.0.0.1:{port}",
            "-f", str(tmp_path / "site.vcl"),
            "-p", f"vcl_path={ROOT / 'deploy/varnish'}:/usr/share/varnish/vcl",
            "-s", "malloc,64m", "-T", "none",
        ],
        stdout=subprocess.DEVNULL,
    )  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                urllib.request.urlopen(f"{base}/healthz", timeout=2).close()  # noqa: S310
                break
            except OSError:
                assert process.poll() is None, "varnishd did not start"
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=30)
        folder.cleanup()


def get(base, path):
    with urllib.request.urlopen(f"{base}{path}", timeout=10) as response:  # noqa: S310
        return response.headers, response.read().decode()


def is_varnish_hit(headers):
    # A hit names two transactions (this one and the one that stored it) and has an age.
    return len(headers["X-Varnish"].split()) == 2


def purge_from(address, base, tags):
    host, port = base.removeprefix("http://").rstrip("/").split(":")
    conn = http.client.HTTPConnection(host, int(port), timeout=5, source_address=(address, 0))
    conn.request("PURGE", "/", headers={"xkey-purge": tags})
    status = conn.getresponse().status
    conn.close()
    return status


def test_a_review_approval_is_purged_by_tag_and_other_pages_stay_hits(varnish):
    staff_member("mona")
    story, other = ArticleFactory(), ArticleFactory()
    review = CommentFactory(article=story, status="pending", body="Careful and fair, thanks.")
    run_tasks()  # The purges of the stories' publication, before anything is cached.
    pages = [story.get_absolute_url(), other.get_absolute_url(), "/en/"]
    for path in pages:
        get(varnish, path)
    for path in pages:
        headers, _page = get(varnish, path)
        assert is_varnish_hit(headers), (path, dict(headers))
        assert "xkey" not in headers  # The tags stay inside the edge.
    time.sleep(1.1)
    assert int(get(varnish, pages[0])[0]["Age"]) > 0

    moderator = Browser()
    moderator.log_in(varnish, "mona")
    moderator.admin_action(varnish, "/admin/comments/comment/", "approve_comments", review.pk)
    approved_at = time.monotonic()
    assert Comment.objects.get(pk=review.pk).status == Comment.Status.APPROVED
    run_tasks()  # The background worker: core.cdn.purge_tags to every edge.
    headers, page = get(varnish, pages[0])
    assert "Careful and fair, thanks." in page
    assert time.monotonic() - approved_at < 2
    assert not is_varnish_hit(headers)
    # The other story's page stays a hit; the home page shows the story's review count
    # (its card carries reviews:<id>), so it was purged with the story's page.
    assert is_varnish_hit(get(varnish, pages[1])[0]), pages[1]
    assert not is_varnish_hit(get(varnish, "/en/")[0])


def test_a_purge_from_an_address_outside_the_acl_is_refused(varnish):
    story = ArticleFactory()
    run_tasks()
    path = story.get_absolute_url()
    get(varnish, path)
    assert purge_from("127.0.0.2", varnish, f"story:{story.pk}") == 403
    assert is_varnish_hit(get(varnish, path)[0])
    assert purge_from("127.0.0.1", varnish, f"story:{story.pk}") == 200
    assert not is_varnish_hit(get(varnish, path)[0])
