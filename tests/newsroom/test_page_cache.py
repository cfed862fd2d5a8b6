"""The full-page cache (newsroom/page_cache.py): served to anonymous readers, never stale."""

import logging
import re
from datetime import timedelta

import pytest
import redis
import time_machine
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.preview import preview_link_create
from articles.services import article_transition
from comments.models import Comment
from comments.services import comments_set_status
from newsroom.page_cache import CSRF_HOLE, page_timeout
from tests.factories import ArticleFactory, CommentFactory, CorrectionFactory, StaffFactory
from tests.helpers import post_url, review_data

REDIS_DB = "redis://127.0.0.1:6379/7"
CLOSED_PORT = "redis://127.0.0.1:6390/0"
HOME = "/en/"

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _page_cache_on(settings):
    settings.PAGE_CACHE_SECONDS = 300


@pytest.fixture
def redis_cache(settings):
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "core.cache_backends.ResilientRedisCache",
            "LOCATION": REDIS_DB,
            "KEY_PREFIX": "newsroom-tests",
        },
    }
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def editor():
    from django.contrib.auth.models import Group

    user = StaffFactory(username="edith")
    user.groups.add(Group.objects.get(name="Editors"))
    return user


def commands_served(server):
    """Commands this Redis has answered so far, not counting the INFO that asks."""
    stats = server.info("commandstats")
    return sum(stat["calls"] for name, stat in stats.items() if name != "cmdstat_info")


def cache_status(response):
    return response.headers.get("X-Page-Cache")


def warm(client, url):
    """Load a page twice: the second answer must come from the cache."""
    first = client.get(url)
    assert first.status_code == 200
    second = client.get(url)
    assert cache_status(second) == "hit"
    return second


class TestServedFromCache:
    def test_second_anonymous_request_is_a_hit_that_costs_no_query(
        self, client, django_assert_num_queries
    ):
        ArticleFactory(headline="Harvest beats forecasts")
        assert cache_status(client.get(HOME)) == "miss"
        with django_assert_num_queries(0):
            response = client.get(HOME)
        assert cache_status(response) == "hit"
        assert "Harvest beats forecasts" in response.text

    def test_a_miss_stays_within_the_story_page_budget(
        self, client, django_assert_max_num_queries
    ):
        """Filling the cache adds no query to the story page's 8: the bound on its
        lifetime (the next scheduled change) is cached with the site chrome."""
        story = ArticleFactory(comments_mode="open")
        client.get(HOME)  # Any earlier page has paid for the shared chrome.
        with django_assert_max_num_queries(8):
            response = client.get(story.get_absolute_url())
        assert cache_status(response) == "miss"

    @pytest.mark.parametrize(
        "url",
        [HOME, "/en/news-line/", "/ru/", "/en/feed/", "/robots.txt", "/sitemap.xml"],
    )
    def test_reader_pages_feeds_sitemaps_and_robots_are_cached(self, client, url):
        ArticleFactory()
        warm(client, url)

    def test_query_string_and_language_are_part_of_the_key(self, client):
        ArticleFactory()
        warm(client, "/en/news-line/")
        assert cache_status(client.get("/en/news-line/?page=1")) == "miss"
        assert cache_status(client.get("/az/news-line/")) == "miss"

    def test_head_is_answered_from_the_cache_too(self, client):
        warm(client, HOME)
        assert cache_status(client.head(HOME)) == "hit"

    def test_admin_and_health_check_are_never_cached(self, client):
        assert cache_status(client.get("/healthz")) is None
        assert cache_status(client.get("/admin/login/")) is None


class TestInvalidation:
    """Each change readers could notice shows on the very next request."""

    def test_publish(self, client, editor):
        draft = ArticleFactory(draft=True, headline="Parliament passes budget")
        warm(client, HOME)
        article_transition(article=draft, user=editor, action="publish")
        response = client.get(HOME)
        assert cache_status(response) == "miss"
        assert "Parliament passes budget" in response.text

    def test_edit(self, client):
        story = ArticleFactory(headline="Old headline")
        warm(client, story.get_absolute_url())
        story.refresh_from_db()
        story.headline = "Corrected headline"
        story.save()
        assert "Corrected headline" in client.get(story.get_absolute_url()).text

    def test_unpublish(self, client, editor):
        story = ArticleFactory()
        warm(client, story.get_absolute_url())
        article_transition(article=story, user=editor, action="unpublish")
        assert client.get(story.get_absolute_url()).status_code == 404

    def test_correction(self, client):
        story = ArticleFactory()
        warm(client, story.get_absolute_url())
        CorrectionFactory(article=story, text="An earlier version misstated the yield.")
        assert "misstated the yield" in client.get(story.get_absolute_url()).text

    def test_review_approval(self, client, editor):
        story = ArticleFactory()
        review = CommentFactory(article=story, status="pending", body="Well reported, thanks")
        assert "Well reported" not in warm(client, story.get_absolute_url()).text
        comments_set_status(
            comments=Comment.objects.filter(pk=review.pk), status="approved", moderator=editor
        )
        assert "Well reported" in client.get(story.get_absolute_url()).text

    def test_review_rejection(self, client, editor):
        story = ArticleFactory()
        review = CommentFactory(article=story, body="Off-topic rant about football")
        assert "Off-topic rant" in warm(client, story.get_absolute_url()).text
        comments_set_status(
            comments=Comment.objects.filter(pk=review.pk),
            status="rejected",
            moderator=editor,
            reason="off topic",
        )
        assert "Off-topic rant" not in client.get(story.get_absolute_url()).text

    def test_scheduled_story_appears_on_time(self, client):
        now = timezone.now()
        with time_machine.travel(now, tick=False) as clock:
            ArticleFactory(headline="Embargoed report", published_at=now + timedelta(seconds=90))
            assert "Embargoed report" not in warm(client, HOME).text
            assert page_timeout() <= 91
            clock.shift(timedelta(seconds=60))
            assert cache_status(client.get(HOME)) == "hit"
            clock.shift(timedelta(seconds=31))
            response = client.get(HOME)
        assert cache_status(response) == "miss"
        assert "Embargoed report" in response.text

    def test_no_page_outlives_the_setting_when_nothing_is_scheduled(self, settings):
        ArticleFactory()
        settings.PAGE_CACHE_SECONDS = 120
        assert page_timeout() == 120


class TestBypass:
    def test_staff_get_fresh_pages_and_do_not_fill_the_cache(self, staff_client):
        ArticleFactory()
        assert cache_status(staff_client.get(HOME)) is None
        assert cache_status(staff_client.get(HOME)) is None
        assert cache_status(Client().get(HOME)) == "miss"

    def test_staff_see_their_change_even_when_readers_have_the_page_cached(self, staff_client):
        story = ArticleFactory(headline="First take")
        reader = Client()
        warm(reader, story.get_absolute_url())
        Article.objects.filter(pk=story.pk).update(headline="Second take")  # No bump.
        assert "Second take" in staff_client.get(story.get_absolute_url()).text

    def test_a_session_cookie_bypasses_the_cache(self, client):
        ArticleFactory()
        client.cookies["sessionid"] = "a-reader-with-a-session"
        assert cache_status(client.get(HOME)) is None
        assert cache_status(client.get(HOME)) is None
        assert cache_status(Client().get(HOME)) == "miss"

    def test_a_pending_message_bypasses_the_cache(self, client):
        warm(Client(), HOME)
        client.cookies["messages"] = "anything"
        assert cache_status(client.get(HOME)) is None

    def test_posts_are_never_cached(self, client):
        story = ArticleFactory(comments_mode="open")
        response = client.post(post_url(story), review_data(story))
        assert response.status_code == 302
        assert cache_status(response) is None

    def test_signed_preview_links_are_never_cached(self, client, editor):
        draft = ArticleFactory(draft=True, headline="Not yet public")
        url = preview_link_create(article=draft, user=editor)
        first, second = client.get(url), client.get(url)
        assert second.status_code == 200
        assert "Not yet public" in second.text
        # Rendered afresh each time (a stored page would answer "hit"), and marked so.
        assert cache_status(first) is cache_status(second) is None
        assert "no-store" in second["Cache-Control"]

    def test_the_review_form_token_endpoint_is_never_cached(self, client):
        story = ArticleFactory()
        url = reverse("comments:token", kwargs={"article_id": story.pk})
        first, second = client.get(url), client.get(url)
        assert first.json()["token"] and second.json()["token"]
        assert cache_status(second) is None
        assert "no-store" in second["Cache-Control"]


class TestHttpCaching:
    def test_cacheable_page_tells_a_cdn_how_long_to_keep_it(self, client, settings):
        ArticleFactory(comments_mode="closed")
        response = warm(client, HOME)
        directives = set(response["Cache-Control"].split(", "))
        assert {"public", "max-age=0"} <= directives
        s_maxage = next(d for d in directives if d.startswith("s-maxage="))
        assert 0 < int(s_maxage.split("=")[1]) <= settings.PAGE_CACHE_SECONDS
        assert response["ETag"] and response["Last-Modified"]

    def test_304_on_if_none_match(self, client):
        response = warm(client, HOME)
        again = client.get(HOME, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 304
        assert again.content == b""

    def test_the_etag_follows_the_stitched_chrome(self, client):
        """The cached copy may stay while the News Line moves on: a browser holding the
        old page must get the new one, so the validator is of the page as sent."""
        response = warm(client, HOME)
        ArticleFactory(headline="Just in")
        again = client.get(HOME, headers={"If-None-Match": response["ETag"]})
        assert again.status_code == 200 and "Just in" in again.text

    def test_a_changed_page_answers_200_to_an_old_etag(self, client):
        story = ArticleFactory()
        etag = warm(client, HOME)["ETag"]
        story.headline = "Something new"
        story.save()
        assert client.get(HOME, headers={"If-None-Match": etag}).status_code == 200


class TestReviewFormFromCache:
    """The cached story page holds no CSRF token: the review form is defended by where
    the POST comes from (core.origin) and its signed stamp (docs/security.md)."""

    def test_the_cached_story_page_holds_nothing_of_one_reader(self):
        story = ArticleFactory(comments_mode="open")
        url = story.get_absolute_url()
        first = Client().get(url)
        second = Client().get(url)
        assert cache_status(second) == "hit"
        assert b"csrfmiddlewaretoken" not in second.content
        assert CSRF_HOLE.encode() not in second.content
        assert first.content == second.content  # Two readers, the same bytes.
        assert not second.cookies
        directives = set(second["Cache-Control"].split(", "))
        assert "public" in directives and any(d.startswith("s-maxage=") for d in directives)
        assert f"story:{story.pk}" in second["xkey"].split()

    def test_a_reader_posts_a_review_from_a_cached_page_without_javascript(self):
        story = ArticleFactory(comments_mode="open")
        url = story.get_absolute_url()
        Client().get(url)  # Another reader renders the page into the cache.
        reader = Client(enforce_csrf_checks=True)
        page = reader.get(url)
        assert cache_status(page) == "hit"
        stamp = re.search(r'name="token" value="([^"]+)"', page.text)[1]
        data = review_data(story, token=stamp, body="Clear report")
        response = reader.post(
            post_url(story), data, REMOTE_ADDR="198.51.100.77",
            headers={"Origin": "http://testserver", "Sec-Fetch-Site": "same-origin"},
        )  # fmt: skip
        assert response.status_code == 302
        assert Comment.objects.filter(article=story, body="Clear report").exists()

    def test_with_javascript_the_fresh_stamp_needs_no_token_either(self):
        story = ArticleFactory(comments_mode="open")
        Client().get(story.get_absolute_url())
        reader = Client(enforce_csrf_checks=True)
        stamp = reader.get(reverse("comments:token", args=[story.pk])).json()["token"]
        data = review_data(story, token=stamp, body="Sent by script")
        response = reader.post(post_url(story), data, headers={"Sec-Fetch-Site": "same-origin"})
        assert response.status_code == 302
        assert Comment.objects.filter(article=story, body="Sent by script").exists()

    @pytest.mark.parametrize(
        "headers",
        [{"Origin": "https://evil.example"}, {"Sec-Fetch-Site": "cross-site"},
         {"Sec-Fetch-Site": "same-site"}, {"Origin": "null"}],
    )  # fmt: skip
    def test_a_cross_site_post_is_refused(self, headers):
        story = ArticleFactory(comments_mode="open")
        reader = Client(enforce_csrf_checks=True)
        response = reader.post(post_url(story), review_data(story), headers=headers)
        assert response.status_code == 403
        assert not Comment.objects.filter(article=story).exists()

    def test_a_signed_in_reader_still_needs_the_csrf_token(self, editor):
        story = ArticleFactory(comments_mode="open")
        reader = Client(enforce_csrf_checks=True)
        reader.force_login(editor)
        page = reader.get(story.get_absolute_url())
        assert cache_status(page) is None and "public" not in page.get("Cache-Control", "")
        headers = {"Sec-Fetch-Site": "same-origin"}
        assert reader.post(post_url(story), review_data(story), headers=headers).status_code == 403
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
        data = review_data(story, csrfmiddlewaretoken=token, body="From the desk")
        assert reader.post(post_url(story), data, headers=headers).status_code == 302


@pytest.mark.usefixtures("redis_cache")
class TestRedis:
    def test_pages_are_shared_through_redis(self, client):
        ArticleFactory(headline="Shared through Redis")
        client.get(HOME)
        # A reader on another app server (another client, same Redis) gets the hit.
        response = Client().get(HOME)
        assert cache_status(response) == "hit"
        assert "Shared through Redis" in response.text

    def test_a_hit_is_two_round_trips_to_redis(self, client):
        story = ArticleFactory(comments_mode="open")
        client.get(story.get_absolute_url())
        server = redis.Redis.from_url(REDIS_DB)

        before = commands_served(server)
        response = client.get(story.get_absolute_url())
        after = commands_served(server)

        assert cache_status(response) == "hit"
        # The page with the chrome to stitch in, then all their tags' stamps: two MGETs.
        assert after - before == 2

    def test_redis_down_serves_pages_uncached(self, client, settings, caplog, monkeypatch):
        monkeypatch.setattr("core.cache_backends._unreachable", set())
        story = ArticleFactory(comments_mode="open")
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "core.cache_backends.ResilientRedisCache",
                "LOCATION": CLOSED_PORT,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
            },
        }
        with caplog.at_level(logging.WARNING, logger="core.cache_backends"):
            for url in [HOME, story.get_absolute_url(), "/en/feed/", HOME]:
                response = client.get(url)
                assert response.status_code == 200
                assert cache_status(response) == "miss"
        outages = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(outages) == 1
