"""Journey 4, an editor: finds a journalist's story in the review queue on the dashboard,
compares its two revisions, schedules it for tomorrow, then publishes it now; a reader
who is not logged in finds it on the home page and in the News Line.
"""

from datetime import timedelta

import pytest
import reversion
from django.utils import timezone
from playwright.sync_api import expect

from articles.models import Article, Section
from core.roles import EDITORS, JOURNALISTS
from tests.factories import ArticleFactory
from tests.helpers import staff_in_role

from .browser import DESKTOP, EDITOR_PASSWORD, log_in

HEADLINE = "Fizuli's new art centre fills its first classes"
FIRST_DRAFT = "<p>Classes started on Monday.</p>"
SECOND_DRAFT = "<p>Classes started on Monday with two hundred children.</p>"


@pytest.fixture
def story_in_review(demo_newsroom):
    """A journalist's story, saved twice (two revisions) and waiting for an editor."""
    journalist = staff_in_role("jana", JOURNALISTS)
    story = ArticleFactory(
        headline=HEADLINE,
        body=FIRST_DRAFT,
        section=Section.objects.get(slug="economics"),
        status=Article.Status.REVIEW,
        published_at=None,
        created_by=journalist,
    )
    for body in [FIRST_DRAFT, SECOND_DRAFT]:
        with reversion.create_revision():
            story.body = body
            story.save()
            reversion.set_user(journalist)
    return story


def test_editor_compares_revisions_schedules_then_publishes_and_readers_see_the_story(
    open_page, story_in_review, screenshot
):
    editor = staff_in_role("edith", EDITORS)
    page = open_page("editor", DESKTOP)
    log_in(page, editor.username, EDITOR_PASSWORD)

    # The dashboard's "In review" block lists the story.
    in_review = page.locator(".dashboard__block").filter(
        has=page.get_by_role("heading", name="In review")
    )
    screenshot(page, "dashboard")
    in_review.get_by_role("link", name=HEADLINE).click()
    expect(page.locator(".workflow-bar")).to_contain_text("Status: In review")
    screenshot(page, "story-in-review")

    # What the journalist changed between their two saves.
    page.get_by_role("link", name="Compare revisions").click()
    body = page.locator(".compare-field").filter(has=page.get_by_role("heading", name="Body"))
    # Word by word, the text as readers read it (issue 16).
    expect(body.locator("ins")).to_have_text(" with two hundred children")
    expect(body.locator("del")).to_have_count(0)
    screenshot(page, "compare-revisions")
    page.go_back()

    # Scheduled for tomorrow at 09:00, Baku time: the publication time, then "Schedule".
    tomorrow = timezone.localtime() + timedelta(days=1)
    page.locator("#id_published_at").fill(tomorrow.strftime("%Y-%m-%dT09:00:00"))
    page.locator(".workflow-actions").get_by_role("button", name="Schedule").click()
    expect(page.locator(".messagelist")).to_contain_text("is now: Scheduled.")
    story_in_review.refresh_from_db()
    assert story_in_review.state == Article.State.SCHEDULED
    assert timezone.localtime(story_in_review.published_at).strftime("%d %H:%M") == (
        tomorrow.strftime("%d 09:00")
    )
    assert not Article.objects.published().filter(pk=story_in_review.pk).exists()

    # Changed plans: publish it now.
    page.get_by_role("link", name=HEADLINE).first.click()
    expect(page.locator(".workflow-bar")).to_contain_text("Status: Scheduled")
    screenshot(page, "scheduled")
    page.locator(".workflow-actions").get_by_role("button", name="Publish now").click()
    expect(page.locator(".messagelist")).to_contain_text("is now: Published.")
    assert Article.objects.published().filter(pk=story_in_review.pk).exists()

    # A reader who is not logged in: on the home page, and in the News Line.
    reader = open_page("reader", DESKTOP)
    reader.goto("/en/")
    expect(reader.get_by_role("main").get_by_role("link", name=HEADLINE).first).to_be_visible()
    news_line = reader.get_by_role("complementary").filter(
        has=reader.get_by_role("heading", name="News Line")
    )
    expect(news_line.get_by_role("link", name=HEADLINE)).to_be_visible()
    screenshot(reader, "home")
    reader.goto("/en/news-line/")
    expect(reader.get_by_role("main").get_by_role("link", name=HEADLINE)).to_be_visible()
    screenshot(reader, "news-line")
