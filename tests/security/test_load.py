"""Many readers post reviews at once against a live server: nothing lost, nothing doubled."""

from collections import Counter

import pytest

from comments.models import Comment
from scripts.load_reviews import run
from tests.factories import ArticleFactory
from tests.helpers import load_test_markers

REVIEWS = 200


@pytest.mark.django_db(transaction=True)
def test_two_hundred_concurrent_reviews_are_each_stored_once_or_refused_with_a_reason(
    live_server, settings
):
    # Every simulated reader sends its own address through our "proxy" (the loopback).
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    # The live server speaks plain HTTP (in production the proxy terminates TLS).
    settings.CSRF_COOKIE_SECURE = False
    stories = [ArticleFactory(comments_mode="open") for _ in range(4)]
    closed = ArticleFactory(comments_mode="closed")
    urls = [live_server.url + story.get_absolute_url() for story in [*stories, closed]]

    outcomes = run(urls, reviews=REVIEWS, concurrency=25)

    assert len(outcomes) == REVIEWS
    assert [o for o in outcomes if o.status >= 500] == []
    accepted = [o for o in outcomes if o.status == 302]
    refused = [o for o in outcomes if 400 <= o.status < 500]
    assert len(accepted) + len(refused) == REVIEWS
    assert all(o.reason for o in refused)
    # Each reader who was told "thank you" has exactly one review; nobody else has one.
    stored = load_test_markers()
    assert {o.marker: 1 for o in accepted} == stored
    # Some were refused for the reasons built into the run: the shared addresses, the
    # closed story (which shows no form).
    assert {o.status for o in refused} <= {403, 429}
    assert any(o.status == 429 for o in refused), Counter(o.status for o in outcomes)
    assert not Comment.objects.filter(article=closed).exists()
