"""Content Security Policy on reader pages, the admin, and the violation-report endpoint."""

import json
import logging
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db
TEMPLATES = Path(settings.BASE_DIR) / "templates"


def policy(response):
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, *values = part.split()
        directives[name] = values
    return directives


def test_reader_story_page_allows_only_the_sites_own_scripts_and_styles(client):
    story = ArticleFactory()
    CommentFactory(article=story)
    csp = policy(client.get(story.get_absolute_url()))
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["img-src"] == ["'self'", "data:"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["report-uri"] == ["/csp-report/"]
    assert "https://www.youtube-nocookie.com" in csp["frame-src"]


@pytest.mark.parametrize("name", ["articles:home", "articles:news_line"])
def test_every_reader_page_has_no_unsafe_script_source(client, name):
    response = client.get(reverse(name))
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]


def test_error_pages_carry_the_policy_too(client):
    assert "script-src 'self'" in client.get("/en/no-such-section/")["Content-Security-Policy"]


def test_admin_allows_ckeditors_inline_styles_but_still_no_inline_script(staff_client):
    response = staff_client.get(reverse("admin:articles_article_add"))
    assert response.status_code == 200
    csp = policy(response)
    assert csp["style-src"] == ["'self'", "'unsafe-inline'"]
    assert csp["script-src"] == ["'self'"]
    assert "blob:" in csp["img-src"]
    assert csp["frame-ancestors"] == ["'none'"]


def test_ckeditor_widget_config_is_a_json_data_block_not_a_script(staff_client):
    """django-ckeditor-5 passes its config through ``json_script`` (a data block the CSP
    does not execute); the page has no executable inline script."""
    html = staff_client.get(reverse("admin:articles_article_add")).content.decode()
    assert 'type="application/json"' in html
    inline_scripts = re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html)
    assert all("application/json" in attrs or "ld+json" in attrs for attrs in inline_scripts)


def test_reader_templates_have_no_inline_scripts_styles_or_handlers():
    """What the strict policy would block must not be in our templates in the first place."""
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        # The admin has its own policy; mail is read by mail clients, never under our CSP
        # (and they honour little but inline styles).
        if "admin" in path.parts or "mail" in path.parts:
            continue
        text = path.read_text()
        if re.search(r"<script(?![^>]*\bsrc=)(?![^>]*json)", text):
            offenders.append(f"{path}: inline <script>")
        if re.search(r"\sstyle=\"|<style", text):
            offenders.append(f"{path}: inline style")
        if re.search(r"\son[a-z]+=\"", text):
            offenders.append(f"{path}: event handler attribute")
    assert offenders == []


def report_body(blocked="https://evil.example/steal.js?email=reader@example.com"):
    return json.dumps(
        {
            "csp-report": {
                "document-uri": "https://news.example.com/en/?q=reader@example.com",
                "effective-directive": "script-src-elem",
                "blocked-uri": blocked,
            }
        }
    )


def test_violation_report_is_logged_as_one_line_with_directive_and_host_only(client, caplog):
    with caplog.at_level(logging.WARNING, logger="newsroom.security"):
        response = client.post(
            reverse("csp_report"), report_body(), content_type="application/csp-report"
        )
    assert response.status_code == 204
    [record] = [r for r in caplog.records if r.name == "newsroom.security"]
    assert record.getMessage() == "csp_violation"
    assert record.directive == "script-src-elem"
    assert record.blocked_host == "evil.example"
    assert "reader@example.com" not in str(record.__dict__)


@pytest.mark.parametrize(
    "body",
    ["not json", "[]", '{"csp-report": "x"}', "[" * 100_000 + "]" * 100_000],
    ids=["not-json", "list", "report-not-an-object", "nested-100000-deep"],
)
def test_malformed_violation_report_is_a_400_not_a_500(client, body):
    response = client.post(reverse("csp_report"), body, content_type="application/csp-report")
    assert response.status_code == 400


def test_violation_reports_are_rate_limited(client, settings):
    settings.RATE_LIMIT_CSP_REPORTS = "2/m"
    statuses = [
        client.post(reverse("csp_report"), report_body(), content_type="application/csp-report")
        for _ in range(3)
    ]
    assert [r.status_code for r in statuses] == [204, 204, 429]
    assert int(statuses[-1]["Retry-After"]) >= 1


@pytest.mark.parametrize("blocked", ["http://[::1", "https://[not-an-address]/x", "//[", "["])
def test_violation_report_with_a_blocked_uri_that_is_no_url_is_logged_not_a_500(client, blocked):
    body = json.dumps({"csp-report": {"effective-directive": "img-src", "blocked-uri": blocked}})
    response = client.post(reverse("csp_report"), body, content_type="application/csp-report")
    assert response.status_code == 204
