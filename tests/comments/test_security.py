import logging
from html.parser import HTMLParser

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from comments.models import Ban, Comment, Report
from comments.notifications import send_pending_digest
from comments.services import comments_set_status
from core.readers import ip_hash
from tests.factories import ArticleFactory, CommentFactory
from tests.helpers import XSS_PAYLOADS, post_review, review_data, run_tasks

pytestmark = pytest.mark.django_db


class AttributeAudit(HTMLParser):
    """Collects what would run: event handlers, javascript: URLs, active elements."""

    def __init__(self):
        super().__init__()
        self.problems = []

    def handle_starttag(self, tag, attrs):
        if tag in {"svg", "iframe", "object", "embed", "base"}:
            self.problems.append(tag)
        if tag == "meta" and any(name == "http-equiv" for name, _v in attrs):
            self.problems.append("meta refresh")
        # JSON-LD blocks are data, never run (their escaping: articles/test_structured_data).
        executable = dict(attrs).get("type") != "application/ld+json"
        if tag == "script" and not dict(attrs).get("src") and executable:
            self.problems.append("inline script")
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"{tag} {name}")
            if (
                name in {"href", "src", "action", "data"}
                and value
                and ("javascript" in value.replace(" ", "").lower())
            ):
                self.problems.append(f"{tag} {name}={value}")


@pytest.fixture
def posted_corpus(client):
    story = ArticleFactory(comments_mode="open")
    for n, payload in enumerate(XSS_PAYLOADS):
        response = post_review(
            client, story, author_name=payload[:80], email=f"x{n}@example.com", body=payload
        )
        assert response.status_code == 302, payload
    comments_set_status(comments=Comment.objects.all(), status=Comment.Status.APPROVED)
    assert Comment.objects.visible().count() == len(XSS_PAYLOADS)
    return story


def test_corpus_is_at_least_thirty_payloads():
    assert len(XSS_PAYLOADS) >= 30


def test_xss_corpus_is_escaped_on_the_story_page(client, posted_corpus, settings):
    settings.COMMENTS_PER_PAGE = 100
    html = client.get(posted_corpus.get_absolute_url()).content.decode()
    for payload in XSS_PAYLOADS:
        assert escape(payload) in html, payload
        if any(char in payload for char in "<>\"'"):
            assert payload not in html, payload
    audit = AttributeAudit()
    audit.feed(html)
    assert audit.problems == []


def test_xss_corpus_is_escaped_in_the_admin_queue(client, posted_corpus, moderator):
    client.force_login(moderator)
    html = client.get(reverse("admin:comments_comment_changelist") + "?queue=approved").content
    html = html.decode()
    for payload in XSS_PAYLOADS:
        assert escape(payload) in html, payload
        if "<" in payload:
            assert payload not in html, payload
    review = Comment.objects.get(body=XSS_PAYLOADS[0])
    change = client.get(reverse("admin:comments_comment_change", args=[review.pk])).content
    assert b"<script>alert(1)</script>" not in change


def test_cross_site_posting_and_csrf_less_reporting_are_refused():
    """The review form carries no CSRF token (its page is shared by every reader); a
    POST from another site is refused by its Origin (core.origin). Reporting keeps the
    token: its form is on a page of its own."""
    story = ArticleFactory()
    review = CommentFactory(article=story)
    client = Client(enforce_csrf_checks=True)
    posted = client.post(
        reverse("comments:post", args=[story.pk]),
        review_data(story),
        headers={"Origin": "https://attacker.example"},
    )
    assert posted.status_code == 403
    report = client.post(reverse("comments:report", args=[review.pk]), {"reason": "spam"})
    assert report.status_code == 403
    assert not Report.objects.exists() and Comment.objects.count() == 1


def test_the_story_page_form_goes_through_from_this_site_without_a_token():
    story = ArticleFactory()
    client = Client(enforce_csrf_checks=True)
    html = client.get(story.get_absolute_url()).content.decode()
    assert "csrfmiddlewaretoken" not in html
    response = client.post(
        reverse("comments:post", args=[story.pk]),
        review_data(story),
        headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
    )
    assert response.status_code == 302


def test_a_name_with_a_header_injection_never_reaches_a_mail_header(
    client, moderator, django_capture_on_commit_callbacks
):
    story = ArticleFactory()
    evil = "Eve\r\nBcc: victim@example.com\r\nSubject: pwned"
    post_review(client, story, author_name=evil)
    review = Comment.objects.get()
    assert "\n" not in review.author_name and "\r" not in review.author_name
    review.status = Comment.Status.APPROVED
    review.save()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("comments:report", args=[review.pk]), {"reason": "illegal"})
    run_tasks()  # The alert is sent by a worker.
    review.author_name = evil  # Even if stored raw, it must stay out of the headers.
    review.status = Comment.Status.PENDING
    review.save()
    send_pending_digest()
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        headers = message.message().as_string().split("\n\n", 1)[0]
        assert "victim" not in headers and "Eve" not in headers and "pwned" not in headers
        assert message.bcc == []
        assert message.to == ["mona@newsroom.example"]


@pytest.mark.parametrize(
    "target",
    ["https://evil.example/", "//evil.example/", "javascript:alert(1)", "http:///evil.example"],
)
def test_unsafe_next_is_ignored(client, target):
    story = ArticleFactory()
    response = post_review(client, story, next=target)
    assert response["Location"] == f"{story.get_absolute_url()}#review-sent"


def test_safe_next_on_this_site_is_followed(client):
    story = ArticleFactory()
    response = post_review(client, story, next="/en/news-line/")
    assert response["Location"] == "/en/news-line/"


class TestAddresses:
    def test_no_raw_ip_anywhere_in_the_review_tables(self, client):
        story = ArticleFactory(comments_mode="open")
        address = "203.0.113.77"
        post_review(client, story, ip=address)
        review = Comment.objects.get()
        review.status = "approved"
        review.save()
        client.post(
            reverse("comments:report", args=[review.pk]), {"reason": "spam"}, REMOTE_ADDR=address
        )
        Ban.objects.create(ip_hash=review.ip_hash)
        assert review.ip_hash == ip_hash(address)
        with connection.cursor() as cursor:
            for table in [
                "comments_comment",
                "comments_report",
                "comments_ban",
                "comments_moderationdecision",
                "comments_discardedsubmission",
            ]:
                cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 (fixed table names)
                rows = cursor.fetchall()
                assert address not in repr(rows), table
        assert Report.objects.get().reporter_hash == review.ip_hash


def test_no_email_ip_or_text_in_logs(client, caplog):
    story = ArticleFactory()
    with caplog.at_level(logging.DEBUG):
        for _attempt in range(2):  # The second is refused (429), and logged too.
            post_review(
                client,
                story,
                ip="203.0.113.88",
                email="private@example.com",
                body="Very private words",
            )
    text = caplog.text
    for secret in ["203.0.113.88", "private@example.com", "Very private words"]:
        assert secret not in text
