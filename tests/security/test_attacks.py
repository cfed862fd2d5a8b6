"""Open redirects, CSRF on every state-changing view, clickjacking and host-header attacks."""

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import translation

from tests.factories import ArticleFactory, CommentFactory, StaffFactory
from tests.helpers import post_url, review_data

pytestmark = pytest.mark.django_db
HOSTILE_TARGETS = [
    "https://evil.example/",
    "//evil.example/",
    "/\\evil.example/",
    "\\\\evil.example",
    "http:evil.example",
    "javascript:alert(1)",
    " https://evil.example/",
]
# Views that take POSTs without a CSRF token, on purpose: no cookie, no session, no
# reader's data changes; and the review form, whose page shared caches keep, checked by
# Origin/Sec-Fetch-Site instead (core.origin, docs/security.md). Anything else that is
# csrf_exempt fails the test below.
CSRF_EXEMPT_BY_DESIGN = {
    "articles.views.beacon",
    "newsroom.views.csp_report",
    "comments.views.post_review",
    # Like the review form: no token on shared-cache pages, Origin/Sec-Fetch-Site instead.
    "newsletters.views.subscribe",
    # RFC 8058: the mail provider's one-click POST has no cookie; the signed link decides.
    "newsletters.views.unsubscribe",
    # The mail provider's bounce webhook: no cookie, a bearer token (constant-time compared).
    "newsletters.views.bounces",
}


class TestOpenRedirects:
    @pytest.mark.parametrize("target", HOSTILE_TARGETS)
    def test_review_form_next_cannot_leave_the_site(self, client, target):
        story = ArticleFactory()
        data = {**review_data(story), "next": target}
        response = client.post(post_url(story), data, REMOTE_ADDR="192.0.2.50")
        assert response.status_code == 302
        assert response["Location"].startswith(story.get_absolute_url())

    @pytest.mark.parametrize("target", HOSTILE_TARGETS)
    def test_report_form_next_cannot_leave_the_site(self, client, target):
        review = CommentFactory()
        with translation.override("en"):
            url = reverse("comments:report", kwargs={"comment_id": review.pk})
        response = client.post(url, {"reason": "spam", "next": target})
        assert response.status_code == 302
        assert response["Location"].startswith(review.article.get_absolute_url())

    @pytest.mark.parametrize("target", HOSTILE_TARGETS)
    def test_admin_login_next_cannot_leave_the_site(self, client, target):
        StaffFactory(username="desk")
        response = client.post(
            reverse("admin:login") + "?next=" + target,
            {"username": "desk", "password": "correct horse battery staple", "next": target},
        )
        assert response.status_code == 302
        assert response["Location"].startswith("/")
        assert not response["Location"].startswith(("//", "/\\"))

    @pytest.mark.parametrize(
        "path", ["//evil.example/", "//evil.example/%2f..", "/\\evil.example"]
    )
    def test_language_redirect_stays_on_the_site(self, client, path):
        response = client.get(path)
        location = response.get("Location", "")
        assert "evil.example" not in location.split("/")[2:3]
        assert not location.startswith(("//", "http"))


def all_patterns(resolvers, prefix=""):
    for entry in resolvers:
        if isinstance(entry, URLResolver):
            yield from all_patterns(entry.url_patterns, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry.callback


class TestCsrf:
    def test_only_the_beacon_csp_reports_and_the_review_form_skip_csrf(self):
        """Every other view outside the admin is CSRF-protected, including any added later."""
        exempt = {
            f"{callback.__module__}.{callback.__name__}"
            for route, callback in all_patterns(get_resolver().url_patterns)
            if not route.startswith("admin/") and getattr(callback, "csrf_exempt", False)
        }
        assert exempt == CSRF_EXEMPT_BY_DESIGN

    def test_state_changing_posts_without_a_token_are_refused(self):
        story = ArticleFactory()
        review = CommentFactory(article=story)
        client = Client(enforce_csrf_checks=True)
        with translation.override("en"):
            urls = [
                post_url(story),
                reverse("comments:report", kwargs={"comment_id": review.pk}),
                reverse("admin:login"),
                reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME),
            ]
        for url in urls:
            response = client.post(url, {**review_data(story), "reason": "spam"})
            assert response.status_code == 403, url
            assert "Form expired" in response.content.decode(), url

    def test_staff_session_does_not_let_a_forged_admin_post_through(self):
        client = Client(enforce_csrf_checks=True)
        client.force_login(StaffFactory(is_superuser=True))
        response = client.post(reverse("admin:articles_section_add"), {"name": "Forged"})
        assert response.status_code == 403


class TestClickjacking:
    @pytest.mark.parametrize("admin", [False, True])
    def test_pages_refuse_to_be_framed(self, client, staff_client, admin):
        story = ArticleFactory()
        response = (
            staff_client.get(reverse("admin:index"))
            if admin
            else client.get(story.get_absolute_url())
        )
        assert response["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


class TestHostHeader:
    def test_unknown_host_gets_400(self, client):
        response = client.get(reverse("articles:home"), HTTP_HOST="evil.example")
        assert response.status_code == 400

    def test_forwarded_host_is_not_believed_in_absolute_addresses(self, client):
        story = ArticleFactory()
        response = client.get(story.get_absolute_url(), HTTP_X_FORWARDED_HOST="evil.example")
        assert response.status_code == 200
        assert b"evil.example" not in response.content

    def test_robots_sitemap_addresses_use_only_allowed_hosts(self, client):
        assert client.get("/robots.txt", HTTP_HOST="evil.example").status_code == 400
