"""Production hardening: ``check --deploy`` is clean and the security headers are sent."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import override_settings
from django.urls import reverse

from tests.factories import ArticleFactory, StaffFactory

ROOT = Path(__file__).resolve().parent.parent.parent
PRODUCTION_ENV = {
    "DEBUG": "0",
    "SECRET_KEY": "k3y-for-the-deploy-check-only-Ow9sQm4rT8vXz2LpN6aYbC1dEfGh5jK7",
    "ALLOWED_HOSTS": "news.example.com",
}


def run_in_production(arguments, *, check):
    """Run Python with ``arguments`` in a fresh interpreter with the production environment."""
    return subprocess.run(  # noqa: S603 (our own fixed arguments)
        [sys.executable, *arguments],
        cwd=ROOT,
        env={
            "PATH": os.environ["PATH"],
            "DJANGO_SETTINGS_MODULE": "newsroom.settings.base",
            **PRODUCTION_ENV,
        },
        capture_output=True,
        text=True,
        check=check,
    )


def test_check_deploy_is_clean_with_production_settings():
    """HSTS, secure cookies, SSL redirect, nosniff, X-Frame-Options, a long SECRET_KEY:
    Django's deployment checklist has nothing to say, even at WARNING level."""
    result = run_in_production(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def production_settings():
    """Read newsroom.settings.base in a fresh interpreter with the production environment."""
    result = run_in_production(
        [
            "-c",
            "import json, django; django.setup(); from django.conf import settings as s; "
            "print(json.dumps({"
            "'hsts': s.SECURE_HSTS_SECONDS, 'subdomains': s.SECURE_HSTS_INCLUDE_SUBDOMAINS,"
            "'session_secure': s.SESSION_COOKIE_SECURE, 'csrf_secure': s.CSRF_COOKIE_SECURE,"
            "'session_httponly': s.SESSION_COOKIE_HTTPONLY, 'proxy': s.SECURE_PROXY_SSL_HEADER,"
            "'redirect': s.SECURE_SSL_REDIRECT}))",
        ],
        check=True,
    )
    return json.loads(result.stdout)


def test_production_turns_on_hsts_secure_cookies_and_trusts_the_proxys_https_header():
    assert production_settings() == {
        "hsts": 31536000,
        "subdomains": True,
        "session_secure": True,
        "csrf_secure": True,
        "session_httponly": True,
        "proxy": ["HTTP_X_FORWARDED_PROTO", "https"],
        "redirect": True,
    }


@pytest.mark.django_db
@override_settings(SECURE_HSTS_SECONDS=31536000, SECURE_HSTS_INCLUDE_SUBDOMAINS=True)
def test_reader_page_carries_the_security_headers(client):
    story = ArticleFactory()
    response = client.get(story.get_absolute_url(), secure=True)
    assert response.status_code == 200
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"


@pytest.mark.django_db
def test_session_cookie_set_at_login_is_httponly(client):
    StaffFactory(username="desk")
    response = client.post(
        reverse("admin:login"), {"username": "desk", "password": "correct horse battery staple"}
    )
    assert response.status_code == 302
    assert response.cookies["sessionid"]["httponly"] is True
