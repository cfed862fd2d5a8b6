"""Journey: live coverage (issue 21). A journalist switches their published story to live
and posts three updates from its admin page (one a key event, one with a picture from the
library) without leaving it; a reader's open page says "3 new updates" (politely, in a
live region) and shows them on request, without a reload; a reader without JavaScript
sees them on reloading. Coverage ends: the open page says so and asks nothing more.
"""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

from articles.models import Article
from core.roles import JOURNALISTS
from tests.factories import ArticleFactory, ImageFactory
from tests.helpers import staff_in_role

from .browser import DESKTOP, EDITOR_PASSWORD, log_in

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]


@pytest.fixture
def newsroom(demo_newsroom, settings):
    settings.LIVE_POLL_SECONDS = 1  # the reader's page asks every second, not every 20
    journalist = staff_in_role("jana", JOURNALISTS)
    story = ArticleFactory(headline="Earthquake in Shamakhi", created_by=journalist)
    picture = ImageFactory(alt_text="Rescuers beside a cracked stone wall")
    return journalist, story, picture


def post_update(page, text, *, key_event=False, picture=None):
    editable = page.locator(".live-panel .ck-editor__editable")
    editable.click()
    expect(editable).to_have_class(re.compile(r"\bck-focused\b"))
    page.keyboard.type(text)
    if key_event:
        page.get_by_label("Key event").check()
    if picture is not None:
        page.get_by_label("Picture from the library").select_option(str(picture.pk))
    page.get_by_role("button", name="Post update").click()
    expect(page.locator("[data-live-post-status]")).to_have_text("Update posted.")
    expect(page.locator("[data-live-post-list] li").first).to_contain_text(text)


def test_a_journalist_posts_and_an_open_readers_page_shows_the_updates(open_page, newsroom):
    journalist, story, picture = newsroom
    desk = open_page("journalist", {"width": 1280, "height": 900})
    log_in(desk, journalist.username, EDITOR_PASSWORD)
    desk.goto(f"/admin/articles/article/{story.pk}/change/")
    desk.get_by_role("button", name="Switch to live coverage").click()
    expect(desk.locator(".live-panel h2")).to_contain_text("Live coverage: on")
    admin_page = desk.url

    reader = open_page("reader", DESKTOP)
    polls = []
    reader.on("request", lambda asked: "/updates/" in asked.url and polls.append(asked.url))
    reader.goto(story.get_absolute_url())
    expect(reader.get_by_text("No updates yet.")).to_be_visible()
    plain = open_page("no-javascript", DESKTOP, java_script_enabled=False)
    plain.goto(story.get_absolute_url())

    post_update(desk, "A 4.6 tremor was felt at 08:41.", key_event=True)
    post_update(desk, "Rescue teams are inspecting old houses.", picture=picture)
    post_update(desk, "No casualties have been reported.")
    assert desk.url == admin_page  # posted without leaving the page

    # Announced in a polite live region; nothing moved into the page meanwhile.
    button = reader.get_by_role("status").get_by_role("button", name="3 new updates")
    expect(button).to_be_visible(timeout=15_000)
    expect(reader.locator(".live__updates li")).to_have_count(0)
    button.click()
    updates = reader.locator(".live__updates > li")
    expect(updates).to_have_count(3)
    expect(updates.first).to_contain_text("No casualties have been reported.")
    expect(updates.first).to_be_focused()
    expect(updates.nth(1).locator("img")).to_have_attribute(
        "alt", "Rescuers beside a cracked stone wall"
    )
    expect(updates.nth(2)).to_contain_text("Key event")
    violations = (
        Axe()
        .run(
            reader,
            options={
                "runOnly": {"type": "tag", "values": WCAG_TAGS},
                "resultTypes": ["violations"],
            },
        )
        .response["violations"]
    )
    assert [v["id"] for v in violations if v["impact"] in {"serious", "critical"}] == []

    plain.reload()
    expect(plain.locator(".live__updates > li")).to_have_count(3)
    expect(plain.locator(".live__key-events")).to_contain_text("A 4.6 tremor was felt")

    desk.get_by_role("button", name="End live coverage").click()
    expect(desk.locator(".live-panel h2")).to_contain_text("ended")
    expect(reader.get_by_text("Live coverage has ended.")).to_be_visible(timeout=15_000)
    asked = len(polls)
    reader.wait_for_timeout(3_000)  # three of its intervals
    assert len(polls) == asked, "the page kept asking after coverage ended"
    assert Article.objects.get(pk=story.pk).live_has_ended
