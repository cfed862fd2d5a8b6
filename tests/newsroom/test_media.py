"""Uploaded pictures in production mode: served by Django when ``SERVE_MEDIA`` is on
(``make serve`` turns it on), 404 when a web server in front is meant to serve them."""

import os
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from PIL import Image as PILImage

from tests.factories import ImageFactory
from tests.newsroom.test_servers import free_ports

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


@pytest.fixture
def production(settings):
    settings.DEBUG = False
    settings.SERVE_MEDIA = True
    return settings


def test_an_uploaded_picture_is_served_with_its_type(client, production):
    image = ImageFactory()
    response = client.get(image.file.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_with_serve_media_off_the_web_server_in_front_must_serve_them(client, production):
    production.SERVE_MEDIA = False
    assert client.get(ImageFactory().file.url).status_code == 404


@pytest.mark.parametrize(
    "path",
    [
        "/media/" + "a" * 300 + ".png",  # longer than a file name may be (ENAMETOOLONG)
        "/media/" + "/".join(["b" * 200] * 30),  # longer than a path may be
        "/media/images/missing.png",
    ],
)
def test_a_picture_we_do_not_have_is_a_404_not_a_server_error(client, production, path):
    assert client.get(path).status_code == 404


def wait_for_server(base, process, seconds=60):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        assert process.poll() is None, "scripts/serve stopped"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):  # noqa: S310
                return
        except OSError:
            time.sleep(0.3)
    pytest.fail("scripts/serve did not start")


def test_make_serve_serves_uploaded_pictures(tmp_path):
    """scripts/serve as `make serve` runs it: gunicorn, DEBUG off, and the pictures."""
    (tmp_path / "media" / "images").mkdir(parents=True)
    PILImage.new("RGB", (4, 3)).save(tmp_path / "media" / "images" / "dot.png")
    (port,) = free_ports(1)
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(  # noqa: S603 (our own script)
        [str(ROOT / "scripts" / "serve")],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "SECRET_KEY": "k3y-for-this-test-only-Ow9sQm4rT8vXz2LpN6aYbC1dEfGh5jK7xxx",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "STATIC_ROOT": str(tmp_path / "static"),
            "MEDIA_ROOT": str(tmp_path / "media"),
            "BIND": f"127.0.0.1:{port}",
            "WEB_CONCURRENCY": "1",
            "LOG_LEVEL": "WARNING",
        },
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for_server(base, server)
        with urllib.request.urlopen(f"{base}/media/images/dot.png", timeout=5) as response:  # noqa: S310
            assert response.status == 200
            assert response.headers["Content-Type"] == "image/png"
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"{base}/media/images/missing.png", timeout=5)  # noqa: S310
        assert missing.value.code == 404
    finally:
        server.terminate()
        output, _errors = server.communicate(timeout=30)
    assert "Uploaded pictures (/media/) are served by Django" in output
