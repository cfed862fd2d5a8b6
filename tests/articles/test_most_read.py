"""Most read: counted by a cookieless beacon, hourly totals only, bots and staff left out."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from articles.models import StoryViewCount, StoryViewDay
from tests.factories import (
    ArticleFactory,
    StaffFactory,
)

pytestmark = pytest.mark.django_db


BROWSER = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/126.0 Safari/537.36"


class TestMostRead:
    def beacon(self, client, story, user_agent=BROWSER, address="203.0.113.7"):
        with translation.override(story.language):
            url = reverse("articles:beacon", args=[story.pk])
        return client.post(url, HTTP_USER_AGENT=user_agent, REMOTE_ADDR=address)

    def test_beacon_counts_and_ranks(self, client):
        popular, quiet = ArticleFactory(headline="Popular"), ArticleFactory(headline="Quiet")
        for n in range(3):
            assert self.beacon(client, popular, address=f"198.51.100.{n}").status_code == 204
        self.beacon(client, quiet)
        assert StoryViewCount.objects.get(article=popular).views == 3
        page = client.get("/en/").content.decode()
        block = page[page.index('id="most-read-title"') :]
        assert block.index("Popular") < block.index("Quiet")

    def test_a_read_is_added_to_its_hour_and_to_the_newsrooms_day(self, client, settings):
        """The day is the newsroom's (Baku, UTC+4): 21:30 UTC is the next morning there."""
        settings.TIME_ZONE = "Asia/Baku"
        story = ArticleFactory()
        late = timezone.now().replace(hour=21, minute=30, second=0, microsecond=0) - timedelta(
            days=1
        )
        StoryViewCount.count(story.pk, late)
        StoryViewCount.count(story.pk, late + timedelta(minutes=10), views=4)
        StoryViewCount.count(story.pk, late - timedelta(hours=2))
        assert StoryViewCount.objects.get(article=story, hour=late.replace(minute=0)).views == 5
        days = dict(StoryViewDay.objects.values_list("day", "views"))
        assert days == {late.date(): 1, late.date() + timedelta(days=1): 5}

    def test_the_days_rebuilt_from_the_hours_are_the_days_counted(self, client):
        story, other = ArticleFactory(), ArticleFactory()
        now = timezone.now()
        for hours_ago in [0, 5, 30, 50, 24 * 20]:
            StoryViewCount.count(story.pk, now - timedelta(hours=hours_ago), views=hours_ago + 1)
            StoryViewCount.count(other.pk, now - timedelta(hours=hours_ago))
        counted = set(StoryViewDay.objects.values_list("article", "day", "views"))
        StoryViewDay.rebuild()
        assert set(StoryViewDay.objects.values_list("article", "day", "views")) == counted

    def test_bots_staff_and_repeat_reads_are_not_counted(self, client):
        story = ArticleFactory()
        self.beacon(client, story, user_agent="Googlebot/2.1 (+http://www.google.com/bot.html)")
        self.beacon(client, story, user_agent="")
        staff = Client()
        staff.force_login(StaffFactory())
        self.beacon(staff, story)
        assert not StoryViewCount.objects.exists()
        self.beacon(client, story)
        self.beacon(client, story)
        assert StoryViewCount.objects.get().views == 1

    def test_unpublished_stories_are_not_counted(self, client):
        self.beacon(client, ArticleFactory(draft=True))
        assert not StoryViewCount.objects.exists()

    def test_old_reads_leave_the_24_hour_list(self, client):
        story = ArticleFactory(headline="Last week")
        StoryViewCount.objects.create(
            article=story, hour=timezone.now() - timedelta(days=3), views=50
        )
        page = client.get("/en/").content.decode()
        day, week = page.split('class="most-read__period"')[1:3]
        assert "Last week" not in day and "Last week" in week

    def test_story_request_writes_nothing(self, client):
        story = ArticleFactory()
        with CaptureQueriesContext(connection) as queries:
            client.get(story.get_absolute_url())
        writes = [q["sql"] for q in queries if not q["sql"].lstrip().upper().startswith("SELECT")]
        assert writes == []
        assert (
            f'data-beacon="/en/beacon/{story.pk}/"'
            in client.get(story.get_absolute_url()).content.decode()
        )
