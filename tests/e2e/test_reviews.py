"""Journey 2, reviews: two readers leave one each (one browser without JavaScript, one
with), both are told it awaits moderation; a moderator approves one from the admin queue;
its author reloads the story and sees it; a third reader reports it.

All the readers come from one loopback address, which the pipeline's per-address limit
(one review per 15 s) would refuse; and a browser fills the form faster than the
"too fast to be human" stamp allows. Both are loosened here, not switched off: the
pipeline still runs every step.
"""

import pytest
from playwright.sync_api import expect

from comments import pipeline
from comments.models import Comment
from core.roles import MODERATORS
from tests.helpers import staff_in_role

from .browser import DESKTOP, EDITOR_PASSWORD, log_in

NO_JS_REVIEW = "Read it without scripts: the reconstruction figures are clear."
JS_REVIEW = "Good to see the art centre open; will there be a follow-up?"
AWAITING = "Thank you — your review will appear once a moderator has read it."


@pytest.fixture(autouse=True)
def shared_address_limits(monkeypatch):
    monkeypatch.setattr(pipeline, "MIN_SECONDS_TO_WRITE", 0)
    monkeypatch.setattr(pipeline, "RATE_LIMITS_BY_IP", [("comments:ip-burst", "10/m")])


def leave_review(page, story_url, name, email, text):
    page.goto(story_url)
    form = page.locator("form.review-form")
    form.get_by_label("Name").fill(name)
    form.get_by_label("Email").fill(email)
    form.get_by_label("Your review").fill(text)
    form.get_by_role("button", name="Send review").click()


def messages(page):
    """The site's messages after a form (not the breaking-news banner, also a status)."""
    return page.locator(".messages[role=status]")


def confirmation(page):
    """The answer to a reader's review, in the reviews block where they are (issue 18)."""
    return page.locator("#reviews #review-sent[role=status]")


def review(page, text):
    return page.locator("#reviews article.review", has_text=text)


def test_reviews_left_with_and_without_javascript_approved_by_a_moderator_then_reported(
    open_page, seed_story, live_server, screenshot
):
    story_url = seed_story.get_absolute_url()
    moderator = staff_in_role("mona", MODERATORS)

    # Without JavaScript: a plain form POST and a redirect back to the story.
    reader = open_page("reader-no-js", DESKTOP, java_script_enabled=False)
    leave_review(reader, story_url, "Nigar", "nigar@example.com", NO_JS_REVIEW)
    expect(reader).to_have_url(f"{live_server.url}{story_url}#review-sent")
    expect(confirmation(reader)).to_contain_text(AWAITING)
    expect(confirmation(reader)).to_be_in_viewport()
    expect(review(reader, NO_JS_REVIEW)).to_have_count(0)
    screenshot(reader, "awaiting-moderation-no-js")

    # With JavaScript: the form fetches a fresh stamp when focused, then posts the same way.
    js_reader = open_page("reader-js", DESKTOP)
    leave_review(js_reader, story_url, "Tom", "tom@example.com", JS_REVIEW)
    expect(confirmation(js_reader)).to_contain_text(AWAITING)
    expect(confirmation(js_reader)).to_be_in_viewport()
    screenshot(js_reader, "awaiting-moderation-js")
    assert set(Comment.objects.values_list("body", "status")) == {
        (NO_JS_REVIEW, Comment.Status.PENDING),
        (JS_REVIEW, Comment.Status.PENDING),
    }

    # The moderator: the admin's pending queue, one review ticked, the Approve action.
    desk = open_page("moderator", DESKTOP)
    log_in(desk, moderator.username, EDITOR_PASSWORD)
    desk.get_by_role("link", name="Open the queue").click()
    rows = desk.locator("#result_list tbody tr")
    expect(rows).to_have_count(2)
    screenshot(desk, "queue")
    rows.filter(has_text=NO_JS_REVIEW).get_by_role("checkbox").check()
    desk.locator("select[name=action]").select_option(label="Approve")
    desk.get_by_role("button", name="Go").click()
    expect(desk.locator(".messagelist .success")).to_contain_text("moved to “Approved”")
    expect(desk.locator("#result_list tbody tr")).to_have_count(1)
    screenshot(desk, "queue-after-approval")

    # Its author reloads the story: the review is there; the other one still waits.
    reader.reload()
    expect(review(reader, NO_JS_REVIEW)).to_be_visible()
    expect(review(reader, NO_JS_REVIEW)).to_contain_text("Nigar")
    expect(review(reader, JS_REVIEW)).to_have_count(0)
    screenshot(reader, "review-published")

    # Another reader reports it: the Report link, a reason, Send.
    other = open_page("other-reader", DESKTOP)
    other.goto(story_url)
    review(other, NO_JS_REVIEW).get_by_role("link", name="Report").click()
    expect(other.get_by_role("heading", level=1)).to_have_text("Report a review")
    other.get_by_role("radio").first.check()
    screenshot(other, "report-form")
    other.get_by_role("button", name="Send report").click()
    expect(messages(other)).to_contain_text("Thank you. A moderator will look at this review.")
    screenshot(other, "reported")
    approved = Comment.objects.get(body=NO_JS_REVIEW)
    assert approved.status == Comment.Status.APPROVED
    assert approved.reports.count() == 1


@pytest.mark.parametrize("java_script", [False, True], ids=["no-js", "js"])
def test_a_refused_review_comes_back_with_its_text_and_the_reason_in_view(
    open_page, seed_story, screenshot, java_script
):
    """A mistyped address refuses the review; the reader sees why where they are and
    finds everything they typed still in the form, with or without JavaScript."""
    reader = open_page(
        f"reader-{'js' if java_script else 'no-js'}", DESKTOP, java_script_enabled=java_script
    )
    leave_review(reader, seed_story.get_absolute_url(), "Nigar", "nigar-at-example", JS_REVIEW)
    form = reader.locator("form.review-form")
    error = form.locator("#id_email_error")
    expect(error).to_be_visible()
    expect(error).to_be_in_viewport()
    expect(form.get_by_label("Email")).to_have_attribute("aria-invalid", "true")
    expect(form.get_by_label("Name")).to_have_value("Nigar")
    expect(form.get_by_label("Email")).to_have_value("nigar-at-example")
    expect(form.get_by_label("Your review")).to_have_value(JS_REVIEW)
    screenshot(reader, "refused-keeps-text")
    assert not Comment.objects.exists()


def test_a_human_who_sends_within_seconds_is_held_for_a_moderator_with_the_reason(
    open_page, seed_story, screenshot, monkeypatch
):
    """A browser fills the form faster than the minimum time: the review is not thrown
    away but waits in the queue, held as "sent very quickly"; the reader is told the truth."""
    monkeypatch.setattr(pipeline, "MIN_SECONDS_TO_WRITE", 60)
    reader = open_page("quick-reader", DESKTOP)
    leave_review(reader, seed_story.get_absolute_url(), "Tom", "tom@example.com", JS_REVIEW)
    expect(confirmation(reader)).to_contain_text(AWAITING)
    expect(confirmation(reader)).to_be_in_viewport()
    screenshot(reader, "quick-review-held")
    held = Comment.objects.get(body=JS_REVIEW)
    assert held.status == Comment.Status.PENDING
    assert "sent very quickly" in held.held_reasons
