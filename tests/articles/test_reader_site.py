"""The reader site looks like one publication (issue 17, item 2): one date style per
language, the News Line with dates, no repeated blocks, one search box, share cards."""

from datetime import datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from tests.articles.test_views import url
from tests.factories import ArticleFactory, ImageFactory

pytestmark = pytest.mark.django_db

# 22:22 on 1 December 2026 in Baku (the site's time zone).
EVENING = timezone.make_aware(datetime(2026, 12, 1, 22, 22))


@pytest.mark.parametrize(
    ("language", "written"),
    [("en", "1 December 2026, 22:22"), ("ru", "1 декабря 2026, 22:22"),
     ("az", "1 Dekabr 2026, 22:22")],
)  # fmt: skip
def test_one_date_style_per_language_with_the_24_hour_clock(client, language, written):
    story = ArticleFactory(language=language, published_at=EVENING)
    with time_machine.travel(EVENING + timedelta(days=1), tick=False):
        assert written in client.get(story.get_absolute_url()).content.decode()
        assert written in client.get(url("news_line", language)).content.decode()


def test_the_news_line_gives_the_date_for_items_not_from_today(client):
    ArticleFactory(headline="Story of yesterday", published_at=EVENING)
    ArticleFactory(headline="Story of today", published_at=EVENING + timedelta(hours=12))
    with time_machine.travel(EVENING + timedelta(hours=13), tick=False):
        page = client.get(url("search"))
        sidebar = page.content.decode().split('class="news-line"', 1)[1]
    today, yesterday = sidebar.split("Story of today")[0], sidebar.split("Story of today")[1]
    assert ">10:22</time>" in today
    assert ">1 December 2026, 22:22</time>" in yesterday


def test_the_news_line_page_does_not_repeat_the_news_line_and_keeps_the_breaking_label(client):
    ArticleFactory(headline="Earthquake", breaking_until=timezone.now() + timedelta(hours=1))
    page = client.get(url("news_line")).content.decode()
    assert 'class="news-line"' not in page
    timeline = page.split('class="timeline"', 1)[1]
    assert 'class="tag-breaking">Breaking</strong> Earthquake' in timeline


def test_most_read_without_data_is_left_out(client):
    ArticleFactory()
    page = client.get(url("home")).content.decode()
    assert "Most read" not in page and "Not enough readers" not in page


def test_the_home_page_has_the_news_line_beside_the_lead_not_in_an_empty_sidebar(client):
    ArticleFactory()
    page = client.get(url("home")).content.decode()
    assert 'class="layout__aside"' not in page
    assert page.index('class="home-top__side"') < page.index('class="news-line"')


def test_the_search_page_has_one_search_box(client):
    assert client.get(url("search")).content.decode().count('type="search"') == 1
    assert client.get(url("home")).content.decode().count('type="search"') == 1


def test_twitter_image_alt_is_set_wherever_twitter_image_is(client):
    story = ArticleFactory(lead_image=ImageFactory(alt_text="A drawn map of the region"))
    page = client.get(story.get_absolute_url()).content.decode()
    assert '<meta name="twitter:image" ' in page
    assert '<meta name="twitter:image:alt" content="A drawn map of the region">' in page
