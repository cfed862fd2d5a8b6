"""Journey 5, a reader on a phone (390×844): the navigation is in reach, the story is
readable, and no page scrolls sideways."""

from playwright.sync_api import expect

from .conftest import PHONE, SEED_HEADLINE


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
