"""Cache tags (issue 19): a change drops exactly the cached pages that show it, and the
chrome is stitched into cached pages rather than re-rendered with them. Run on the
local-memory cache and on Redis (the REDIS_DB of test_page_cache)."""

import contextlib
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.test import Client, RequestFactory
from django.test.signals import template_rendered
from django.utils import timezone, translation

from comments.models import Comment
from comments.services import comments_set_status
from newsroom.page_cache import page_key
from tests.factories import ArticleFactory, CommentFactory, SectionFactory
from tests.newsroom.test_page_cache import REDIS_DB, cache_status

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, params=["locmem", "redis"])
def page_cache(request, settings):
    settings.PAGE_CACHE_SECONDS = 300
    if request.param == "redis":
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "core.cache_backends.ResilientRedisCache",
                "LOCATION": REDIS_DB,
                "KEY_PREFIX": "newsroom-tags-tests",
            },
        }
    cache.clear()
    yield
    cache.clear()


@contextlib.contextmanager
def renders():
    """Which templates were rendered, by name, as often as each was."""
    names = []

    def rendered(sender, template, **kwargs):
        names.append(template.name)

    template_rendered.connect(rendered)
    try:
        yield names
    finally:
        template_rendered.disconnect(rendered)


def cached(urls):
    """The pages of ``urls`` the cache still answers (a fresh reader each)."""
    return {url for url in urls if cache_status(Client().get(url)) == "hit"}


def warm(urls):
    for url in urls:
        Client().get(url)
    assert cached(urls) == set(urls)


@pytest.fixture
def newsroom():
    sport, culture = SectionFactory(slug="sport"), SectionFactory(slug="culture")
    reviewed = ArticleFactory(section=sport, comments_mode="open", headline="Derby tonight")
    other = ArticleFactory(section=culture, comments_mode="open", headline="Opera opens")
    older = ArticleFactory(
        section=culture, headline="Old gallery", published_at=timezone.now() - timedelta(days=3)
    )
    pages = {
        "reviewed": reviewed.get_absolute_url(),
        "other": other.get_absolute_url(),
        "older": older.get_absolute_url(),
        "sport": sport.get_absolute_url(),
        "culture": culture.get_absolute_url(),
        "home": "/en/",
    }
    return reviewed, other, pages


def test_approving_a_review_drops_its_story_and_the_lists_counting_it_alone(newsroom):
    reviewed, _other, pages = newsroom
    review = CommentFactory(article=reviewed, status=Comment.Status.PENDING)
    warm(pages.values())
    comments_set_status(comments=Comment.objects.filter(pk=review.pk), status="approved")
    # Its page and the lists whose cards count its reviews; no other story, no other list.
    assert cached(pages.values()) == {pages["other"], pages["older"], pages["culture"]}
    assert "1 review" in Client().get(pages["reviewed"]).text


def test_editing_a_story_drops_its_page_and_the_lists_showing_it(newsroom):
    _reviewed, other, pages = newsroom
    warm(pages.values())
    other.lead = "A new lead"
    other.save()
    assert cached(pages.values()) == {pages["reviewed"], pages["older"], pages["sport"]}


def test_publishing_updates_the_news_line_on_a_cached_page_without_rendering_it(newsroom):
    reviewed, _other, pages = newsroom
    warm([pages["older"]])
    ArticleFactory(section=reviewed.section, headline="Flood warning")
    with renders() as rendered:
        page = Client().get(pages["older"])
        again = Client().get(pages["older"])
    assert cache_status(page) == cache_status(again) == "hit"
    assert "Flood warning" in page.text and "Flood warning" in again.text
    assert "articles/story.html" not in rendered
    assert rendered.count("includes/news_line.html") == 1  # Once, for every page.


def test_a_scheduled_story_goes_live_on_home_section_and_news_line_at_its_time(newsroom):
    _reviewed, _other, pages = newsroom
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        ArticleFactory(
            section=SectionFactory(slug="business"),
            headline="Markets at noon",
            published_at=now + timedelta(minutes=10),
        )
        business = "/en/business/"
        urls = [pages["home"], business, "/en/news-line/", pages["other"]]
        for url in urls:
            Client().get(url)
        assert not any("Markets at noon" in Client().get(url).text for url in urls)
        clock.shift(timedelta(minutes=10, seconds=1))
        assert all("Markets at noon" in Client().get(url).text for url in urls)


def test_the_breaking_banner_appears_and_ends_on_every_page_on_time(newsroom):
    reviewed, _other, pages = newsroom
    now = timezone.now()
    with time_machine.travel(now, tick=False) as clock:
        warm(pages.values())
        reviewed.breaking_until = now + timedelta(minutes=30)
        reviewed.save()
        others = [url for name, url in pages.items() if name != "reviewed"]
        for url in others:
            assert "banner__link" in Client().get(url).text
        # The story's own page says so in its header, with no link to itself.
        assert "banner__link" not in Client().get(pages["reviewed"]).text
        clock.shift(timedelta(minutes=30, seconds=1))
        for url in pages.values():
            assert "banner--breaking" not in Client().get(url).text, url


def test_while_a_page_is_rendered_again_others_get_the_copy_it_replaces(newsroom):
    _reviewed, other, pages = newsroom
    warm([pages["other"]])
    other.headline = "Opera opens tonight"
    other.save()
    with translation.override("en"):
        key = page_key(RequestFactory().get(pages["other"]))
    cache.add(f"{key}:rendering", 1, 10)  # Another request is rendering it right now.
    with renders() as rendered:
        response = Client().get(pages["other"])
    assert cache_status(response) == "stale"
    # Its own text as it was (the News Line stitched into it is fresh, as on every page).
    assert '<h1 class="story__headline">Opera opens</h1>' in response.text
    assert "s-maxage=0" in response["Cache-Control"]  # No edge keeps it.
    assert "articles/story.html" not in rendered
    cache.delete(f"{key}:rendering")  # That render is stored; so is this one, then.
    fresh = Client().get(pages["other"])
    assert cache_status(fresh) == "miss"
    assert '<h1 class="story__headline">Opera opens tonight</h1>' in fresh.text
    assert cache_status(Client().get(pages["other"])) == "hit"
