"""Journey: a journalist writes on the story desk (desktop and phone). The text sits in its
column beside the settings, the editor shows a heading larger than the body text as the
story page does, a picture from the media picker goes into the body, the writing is
autosaved; they close the tab without saving (the page
asks first), reopen the form, restore, and the text is exactly theirs; saving it keeps it
and clears the autosave.
"""

import re
import time

import pytest
from playwright.sync_api import expect

from articles.models import Article, StoryAutosave
from articles.text import clean_body
from core.roles import JOURNALISTS
from tests.helpers import staff_in_role

from .browser import DESKTOP, EDITOR_PASSWORD, PHONE, log_in

HEADLINE = "Night trains to Ganja return after ten years"
LINK_URL = "https://example.org/timetable"
NO_SIDEWAYS_SCROLL = "() => document.documentElement.scrollWidth <= window.innerWidth"
BODY_DATA = "() => window.editors.id_body.getData()"


def font_size(locator):
    return float(locator.evaluate("e => getComputedStyle(e).fontSize").removesuffix("px"))


def write(page):
    editable = page.locator(".ck-editor__editable")
    editable.click()
    expect(editable).to_have_class(re.compile(r"\bck-focused\b"))
    page.keyboard.type("The first train leaves on Friday.")
    page.keyboard.press("Enter")
    page.locator(".ck-heading-dropdown").get_by_role("button").first.click()
    page.locator(".ck-heading-dropdown .ck-list").get_by_text("Heading 2").click()
    page.keyboard.type("Where it stops")
    page.keyboard.press("Enter")
    page.locator(".ck-toolbar").get_by_role(
        "button", name="Bulleted List", exact=True
    ).first.click()
    page.keyboard.type("Yevlakh")
    page.keyboard.press("Enter")
    page.keyboard.type("Ganja")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")
    page.keyboard.type("Times are online at ")
    page.locator(".ck-toolbar").get_by_role("button", name="Link", exact=True).click()
    page.keyboard.type(LINK_URL)
    page.keyboard.press("Enter")
    return editable


def insert_picture(page, screenshot):
    """A picture for the body from the media picker: searched by a word of its title,
    chosen from the thumbnails, placed in the editor as a figure of the library's file."""
    page.get_by_role("button", name="Insert a picture").click()
    picker = page.get_by_role("dialog", name="Pictures")
    expect(picker).to_be_visible()
    picker.get_by_label("Search the library").fill("Fizuli")
    choice = picker.locator(".picker__choice", has_text="Fizuli").first
    expect(choice).to_be_visible()
    expect(choice.locator("img")).to_have_js_property("complete", True)
    assert choice.locator("img").evaluate("img => img.naturalWidth") > 0  # a thumbnail
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, "picker")
    choice.click()
    expect(picker).to_be_hidden()
    expect(page.locator(".ck-editor__editable figure.image img")).to_have_count(1)
    body = page.evaluate(BODY_DATA)
    assert re.search(r'<figure class="image"><img [^>]*src="/media/images/demo/fizuli\.jpg"', body)


def autosaved_body(page):
    """Wait until the server's autosave holds what the editor holds (story-desk.js saves
    a few seconds after typing stops)."""
    body = page.evaluate(BODY_DATA)
    for _ in range(40):
        saved = StoryAutosave.objects.filter(user__username="jana").first()
        if saved and saved.data["fields"].get("body") == body:
            return body
        time.sleep(0.25)
    raise AssertionError(f"the autosave never caught up with the editor: {body!r}")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_journalist_writes_closes_the_tab_and_restores_exactly(
    open_page, demo_newsroom, screenshot, viewport
):
    journalist = staff_in_role("jana", JOURNALISTS)
    page = open_page("journalist", viewport)
    log_in(page, journalist.username, EDITOR_PASSWORD)
    page.goto("/admin/articles/article/add/")
    headline = page.get_by_label("Headline:", exact=True)
    section = page.locator(".field-section")
    # The layout: text and settings side by side on a desktop, one column on a phone.
    text_box, settings_box = headline.bounding_box(), section.bounding_box()
    if viewport is DESKTOP:
        assert settings_box["x"] >= text_box["x"] + text_box["width"]
    else:
        assert settings_box["y"] > page.locator(".ck-editor").bounding_box()["y"]
    assert page.evaluate(NO_SIDEWAYS_SCROLL)

    headline.fill(HEADLINE)
    expect(page.locator("#id_headline_length")).to_have_text(
        re.compile(f"^{len(HEADLINE)} of about 60 characters")
    )
    page.get_by_label("Lead:", exact=True).fill("The line reopens with four stops.")
    editable = write(page)
    insert_picture(page, screenshot)
    # What you see is what readers get: a Heading 2 is larger than the body text.
    assert font_size(editable.locator("h2")) > font_size(editable.locator("p").first) * 1.2
    assert font_size(editable.locator("li").first) == font_size(editable.locator("p").first)
    expect(page.locator("[data-desk-counts]")).to_have_text(
        re.compile(r"^Words: 1[0-9] · about 1 min")
    )
    body = autosaved_body(page)
    expect(page.locator("[data-autosave-status]")).to_have_text(
        re.compile(r"^Saved at \d\d:\d\d$")
    )
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, "written-and-autosaved")

    # Closing the tab with unsaved changes asks first.
    asked = []
    page.on("dialog", lambda dialog: (asked.append(dialog.type), dialog.accept()))
    with page.expect_event("close"):
        page.close(run_before_unload=True)
    assert asked == ["beforeunload"]
    assert not Article.objects.filter(headline=HEADLINE).exists()

    # Reopening the add form offers the autosave back; restoring brings it all.
    page = page.context.new_page()
    page.goto("/admin/articles/article/add/")
    offer = page.locator(".autosave-offer")
    expect(offer).to_contain_text(re.compile(r"Restore your unsaved changes from \d\d:\d\d\?"))
    screenshot(page, "offered")
    offer.get_by_role("button", name="Restore").click()
    expect(offer).to_have_count(0)
    expect(page.get_by_label("Headline:", exact=True)).to_have_value(HEADLINE)
    expect(page.get_by_label("Lead:", exact=True)).to_have_value(
        "The line reopens with four stops."
    )
    assert page.evaluate(BODY_DATA) == body
    screenshot(page, "restored")

    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Cult")
    page.locator(".select2-results__option", has_text="Culture").click()
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    story = Article.objects.get(headline=HEADLINE)
    assert story.body == clean_body(body)  # what they wrote, sanitised as every save is
    for fragment in ["<h2>Where it stops</h2>", "<li>Ganja</li>", f'<a href="{LINK_URL}"']:
        assert fragment in story.body
    assert [image.file.name for image in story.body_images.all()] == ["images/demo/fizuli.jpg"]
    assert not StoryAutosave.objects.exists()
    assert page.evaluate(NO_SIDEWAYS_SCROLL)
    screenshot(page, "saved")
