"""Journey 5, a reader on a phone (390×844): the navigation is in reach, the story is
readable, the review form can be filled in and sent, and no page scrolls sideways."""

from playwright.sync_api import expect

from comments import pipeline
from comments.models import Comment

from .browser import PHONE, SEED_HEADLINE


def assert_fits_the_screen(page):
    """Nothing is wider than the phone: the page never scrolls sideways."""
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{page.url} is {width}px wide on a {PHONE['width']}px phone"


def test_phone_reader_reaches_nav_and_reads_story_without_sideways_scrolling(
    phone_page, seed_story, screenshot
):
    page = phone_page
    main = page.get_by_role("main")

    page.goto("/en/")
    assert_fits_the_screen(page)
    screenshot(page, "home")

    # The section list scrolls within its own strip; a later section is still in reach.
    economics = page.get_by_role("navigation", name="Sections").get_by_role(
        "link", name="Economics"
    )
    economics.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Economics")
    assert_fits_the_screen(page)
    screenshot(page, "section")

    main.get_by_role("link", name=SEED_HEADLINE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_HEADLINE)
    assert_fits_the_screen(page)
    screenshot(page, "story")

    # Readable: body text at least 16px, in a column that fits inside the screen.
    paragraph = main.locator(".story__body p").first
    font_size = paragraph.evaluate("p => parseFloat(getComputedStyle(p).fontSize)")
    assert font_size >= 16
    box = paragraph.bounding_box()
    assert box["x"] >= 0
    assert box["x"] + box["width"] <= PHONE["width"]


def test_phone_reader_can_fill_in_and_send_the_review_form(
    phone_page, seed_story, screenshot, monkeypatch
):
    """The "Leave a review" form at 390×844: every field on screen at full width of the
    column, the button in reach, and the page still does not scroll sideways."""
    # A browser types faster than the pipeline's "too fast to be human" stamp allows.
    monkeypatch.setattr(pipeline, "MIN_SECONDS_TO_WRITE", 0)
    page = phone_page
    page.goto(seed_story.get_absolute_url() + "#reviews")
    form = page.locator("form.review-form")
    form.scroll_into_view_if_needed()
    for field in ["#id_author_name", "#id_email", "#id_body"]:
        box = form.locator(field).bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], field
        assert box["width"] >= PHONE["width"] * 0.7, f"{field} is only {box['width']}px wide"
    form.locator("#id_author_name").fill("Aysel")
    form.locator("#id_email").fill("aysel@example.com")
    form.locator("#id_body").fill("Read on my phone: clear and short.")
    send = form.get_by_role("button", name="Send review")
    send.scroll_into_view_if_needed()
    expect(send).to_be_in_viewport()
    assert_fits_the_screen(page)
    screenshot(page, "review-form")

    send.click()
    sent = page.locator("#review-sent[role=status]")
    expect(sent).to_contain_text("will appear once a moderator has read it")
    expect(sent).to_be_in_viewport()
    assert_fits_the_screen(page)
    screenshot(page, "review-sent")
    assert Comment.objects.filter(article=seed_story, author_name="Aysel").exists()
