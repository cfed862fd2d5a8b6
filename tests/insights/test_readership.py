"""Readership and review charts: their numbers, their SVG and table, their query count."""

import csv
import io
import xml.etree.ElementTree as ET
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import StoryViewCount
from comments.models import Comment
from comments.stats import moderation_wait, percentile, review_volume
from insights.readership import site_charts, story_charts, this_hour
from tests.factories import ArticleFactory, CommentFactory, SectionFactory
from tests.helpers import staff_in_role

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def reads(story, hours_ago, views):
    """As the beacon counts them: the hour's row and its day's."""
    StoryViewCount.count(story.pk, this_hour() - timedelta(hours=hours_ago), views)


@pytest.fixture
def known_reads():
    politics, sport = SectionFactory(name="Politics"), SectionFactory(name="Sport")
    steady = ArticleFactory(headline="Steady story", section=politics)
    riser = ArticleFactory(headline="Rising story", section=sport, language="ru")
    reads(steady, 0, 30)
    reads(steady, 24, 50)  # same hour yesterday: more than now
    reads(riser, 0, 20)
    reads(riser, 24, 2)
    reads(riser, 3, 7)
    reads(steady, 24 * 40, 999)  # older than every chart
    return steady, riser


def by_slug(charts):
    return {chart.slug: chart for chart in charts}


def test_the_charts_numbers_are_the_hourly_aggregates(known_reads):
    charts = by_slug(site_charts())
    hourly = [value for _label, value in charts["reads-hourly"].rows]
    assert len(hourly) == 48
    assert hourly[-1] == 50 and hourly[-4] == 7 and hourly[-25] == 52
    assert sum(hourly) == 109
    assert charts["reads-daily"].total == 109 and len(charts["reads-daily"].rows) == 30
    assert charts["reads-language"].rows == [("English", 80), ("Russian", 29)]
    assert charts["reads-section"].rows == [("Politics", 80), ("Sport", 29)]
    assert charts["top-stories"].rows == [("Steady story", 30, 50), ("Rising story", 20, 2)]
    # Only the riser rose; the steady story read less than yesterday.
    assert charts["rising-stories"].rows == [("Rising story", 18, 20)]


def test_a_storys_own_charts_count_only_its_reads(known_reads):
    steady, _riser = known_reads
    hourly, daily = story_charts(steady)
    assert hourly.total == 80 and daily.total == 80


# Midday in the newsroom's time zone: the five reviews fall on one day whenever it runs.
@time_machine.travel("2026-06-15 08:00:00+00:00", tick=False)
def test_review_volume_and_moderation_wait_per_day():
    story = ArticleFactory()
    now = timezone.now()
    for minutes in (10, 20, 30, 40, 100):
        CommentFactory(
            article=story,
            created_at=now - timedelta(minutes=minutes + 5),
            moderated_at=now - timedelta(minutes=5),
            status=Comment.Status.APPROVED,
        )
    assert review_volume().rows[-1][1] == 5
    assert moderation_wait().rows[-1][1:] == (30, 100)
    assert percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9) == 9


def test_each_chart_is_a_titled_svg_with_its_data_table(client, known_reads):
    client.force_login(staff_in_role("edith", "Editors"))
    html = client.get(reverse("admin:index")).content.decode()
    for chart in site_charts():
        svg = ET.fromstring(str(chart.svg()))  # noqa: S314 (our own markup)
        assert svg.get("role") == "img"
        assert svg.find(f"{SVG}title").text == chart.title
        assert svg.find(f"{SVG}desc").text == chart.description
        assert len(svg.findall(f"{SVG}rect")) == len(chart.rows)
        assert f"<summary>Data table: {chart.title}</summary>" in html.replace("&#x27;", "'")
    assert '<th scope="row">Steady story</th><td>30</td><td>50</td>' in html
    assert "Reviews posted per day" in html and "Moderation waiting time" in html


def test_a_storys_admin_page_shows_its_charts(client, known_reads):
    steady, _riser = known_reads
    client.force_login(staff_in_role("edith", "Editors"))
    html = client.get(reverse("admin:articles_article_change", args=[steady.pk])).content.decode()
    assert "Reads of this story per hour, last 48 hours" in html
    assert reverse("insights:chart_csv", args=[f"story-{steady.pk}-daily"]) in html


def test_a_chart_downloads_as_csv(client, known_reads):
    client.force_login(staff_in_role("edith", "Editors"))
    response = client.get(reverse("insights:chart_csv", args=["top-stories"]))
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows == [
        ["Story", "Reads this hour", "Same hour yesterday"],
        ["Steady story", "30", "50"],
        ["Rising story", "20", "2"],
    ]


def test_a_moderator_sees_the_review_charts_but_not_the_readership(client, known_reads):
    client.force_login(staff_in_role("mona", "Moderators"))
    assert client.get(reverse("insights:chart_csv", args=["top-stories"])).status_code == 404
    assert client.get(reverse("insights:chart_csv", args=["reviews-daily"])).status_code == 200


def test_a_spreadsheet_formula_in_a_headline_stays_text(client):
    reads(ArticleFactory(headline="=HYPERLINK(1)"), 0, 3)
    client.force_login(staff_in_role("edith", "Editors"))
    body = client.get(reverse("insights:chart_csv", args=["top-stories"])).content.decode()
    assert "'=HYPERLINK(1)" in body


def dashboard_queries(client, stories):
    sections = [SectionFactory() for _ in range(3)]
    for i in range(stories):
        story = ArticleFactory(section=sections[i % 3], language=["en", "ru", "az"][i % 3])
        reads(story, i % 24, i + 1)
        reads(story, 24, 2)
        CommentFactory(article=story, moderated_at=timezone.now(), status=Comment.Status.APPROVED)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(reverse("admin:index")).status_code == 200
    return len(queries)


def test_no_chart_reads_more_than_two_days_of_hourly_rows(known_reads):
    """A year of hourly rows is millions (docs/performance.md): the 30-day charts read
    the daily roll-up, and the hourly rows are asked for by the last 48 hours only."""
    with CaptureQueriesContext(connection) as queries:
        site_charts()
    hourly = [q["sql"] for q in queries if '"articles_storyviewcount"' in q["sql"]]
    assert len(hourly) == 2
    assert all('"articles_storyviewcount"."hour" >=' in sql or " IN (" in sql for sql in hourly)
    assert any('"articles_storyviewday"' in q["sql"] for q in queries)


def test_the_dashboards_query_count_does_not_grow_with_the_stories(client):
    client.force_login(staff_in_role("edith", "Editors"))
    few = dashboard_queries(client, 2)
    many = dashboard_queries(client, 40)
    assert few == many
