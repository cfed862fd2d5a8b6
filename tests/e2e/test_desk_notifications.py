"""Issue 16's desk journey, its reviewing half: a journalist submits their story; the
editor sees the notification, opens it, compares two revisions (words marked), publishes;
the journalist sees "published". On a desktop and on a phone."""

import pytest
import reversion
from playwright.sync_api import expect

from articles.models import Article, Section
from core.roles import EDITORS, JOURNALISTS
from tests.factories import ArticleFactory
from tests.helpers import staff_in_role

from .browser import DESKTOP, EDITOR_PASSWORD, PHONE, log_in

HEADLINE = "Ganja's tram line reopens after repairs"


@pytest.fixture
def journalists_draft(demo_newsroom):
    """A journalist's draft saved twice (two revisions)."""
    journalist = staff_in_role("jana", JOURNALISTS)
    story = ArticleFactory(
        headline=HEADLINE,
        section=Section.objects.get(slug="economics"),
        status=Article.Status.DRAFT,
        published_at=None,
        created_by=journalist,
    )
    for body in [
        "<h2>Back on track</h2><p>The tram runs again on Monday.</p>",
        "<h2>Back on track</h2><p>The tram runs again from Friday, every ten minutes.</p>",
    ]:
        with reversion.create_revision():
            story.body = body
            story.save()
            reversion.set_user(journalist)
    return story


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_submitted_reviewed_compared_published_and_the_author_told(
    open_page, journalists_draft, screenshot, viewport
):
    editor = staff_in_role("edith", EDITORS)

    # The journalist submits the draft from its form.
    author = open_page("journalist", viewport)
    log_in(author, "jana", EDITOR_PASSWORD)
    author.goto(f"/admin/articles/article/{journalists_draft.pk}/change/")
    author.locator(".workflow-actions").get_by_role("button", name="Submit for review").click()
    expect(author.locator(".messagelist")).to_contain_text("is now: In review.")
    screenshot(author, "submitted")

    # The editor: a count in the header, the notification on the dashboard.
    desk = open_page("editor", viewport)
    log_in(desk, editor.username, EDITOR_PASSWORD)
    expect(desk.locator(".notifications-link")).to_have_text("1 new notification")
    notifications = desk.locator(".dashboard__notifications")
    expect(notifications).to_contain_text(f"Jana submitted “{HEADLINE}” for review.")
    screenshot(desk, "editor-dashboard")
    notifications.get_by_role("link", name=HEADLINE).click()
    expect(desk.locator(".workflow-bar")).to_contain_text("In review")
    expect(desk.locator(".notifications-link")).to_have_text("Notifications")  # read now

    # Two revisions compared: the words changed are marked in the text as readers read it.
    desk.get_by_role("link", name="Compare revisions").click()
    # Submitting saved the form once more: compare the first draft with the latest.
    desk.locator("select[name=from]").select_option(index=2)
    desk.get_by_role("button", name="Compare").click()
    body = desk.locator(".compare-field").filter(has=desk.get_by_role("heading", name="Body"))
    expect(body.locator(".diff-block--h2")).to_have_text("Back on track")
    expect(body.locator("del")).to_have_text(["on", "Monday"])
    expect(body.locator("ins")).to_have_text(["from", "Friday, every ten minutes"])
    screenshot(desk, "compare")
    assert desk.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    desk.get_by_role("link", name=HEADLINE).click()  # back to the story, by its breadcrumb

    desk.locator(".workflow-actions").get_by_role("button", name="Publish now").click()
    expect(desk.locator(".messagelist")).to_contain_text(f"“{HEADLINE}” is now: Published.")

    # The journalist hears of it.
    author.goto("/admin/")
    expect(author.locator(".notifications-link")).to_have_text("1 new notification")
    expect(author.locator(".dashboard__notifications")).to_contain_text(
        f"Edith published “{HEADLINE}”."
    )
    screenshot(author, "journalist-told")

    # The story list: the headline has the room, the status a badge, no sideways scroll.
    author.goto("/admin/articles/article/?mine=1")
    expect(author.locator(".status-badge--published")).to_have_text("Published")
    screenshot(author, "story-list")
    if viewport is DESKTOP:  # every column in view: the table scrolls not at all
        table = author.locator(".results")
        assert table.evaluate("element => element.scrollWidth <= element.clientWidth")
