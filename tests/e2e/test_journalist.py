"""Journey 3, a journalist: logs into the admin, writes a story in CKEditor 5 (typed text,
a heading, a link, a bulleted list, an uploaded picture), picks its section from the
autocomplete, adds tags and a related link, saves, and submits it for review. Publishing
is not offered to them, and a forged "Publish now" is refused.
"""

import re

import pytest
from PIL import Image as PILImage
from playwright.sync_api import expect

from articles.models import Article, Image
from core.roles import JOURNALISTS
from tests.helpers import staff_in_role

from .browser import EDITOR_PASSWORD, log_in

HEADLINE = "Fizuli's new art centre fills its first classes"
LINK_URL = "https://example.org/art-centre"


@pytest.fixture
def picture(tmp_path):
    path = tmp_path / "classroom.png"
    PILImage.new("RGB", (320, 200), (30, 110, 160)).save(path)
    return path


@pytest.fixture
def journalist_page(open_page, demo_newsroom):
    journalist = staff_in_role("jana", JOURNALISTS)
    page = open_page("journalist", {"width": 1280, "height": 900})
    log_in(page, journalist.username, EDITOR_PASSWORD)
    return page


def toolbar_button(page, name):
    return page.locator(".ck-toolbar").get_by_role("button", name=name, exact=True)


def write_body(page, picture):
    """The body as a journalist writes it: typing, with the toolbar for the rest."""
    editable = page.locator(".ck-editor__editable")
    editable.click()
    # CKEditor places its selection a moment after the click (see test_editor.py).
    expect(editable).to_have_class(re.compile(r"\bck-focused\b"))
    page.keyboard.type("Classes started on Monday.")
    page.keyboard.press("Enter")

    page.locator(".ck-heading-dropdown").get_by_role("button").first.click()
    page.locator(".ck-heading-dropdown .ck-list").get_by_text("Heading 2").click()
    page.keyboard.type("Who teaches")
    page.keyboard.press("Enter")

    page.keyboard.type("The programme is online at ")
    toolbar_button(page, "Link").click()
    page.keyboard.type(LINK_URL)
    page.keyboard.press("Enter")
    page.keyboard.press("End")
    page.keyboard.press("Enter")

    # A split button (list styles in its arrow half): the first half makes the list.
    toolbar_button(page, "Bulleted List").first.click()
    page.keyboard.type("Painting")
    page.keyboard.press("Enter")
    page.keyboard.type("Music")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # An empty item ends the list.

    # The toolbar's upload button opens a file dialog through this (hidden) input.
    page.locator(".ck-toolbar .ck-file-dialog-button input[type=file]").set_input_files(picture)
    expect(editable.locator("figure.image img")).to_have_attribute(
        "src", re.compile(r"/media/.+\.(png|jpe?g|webp)$")
    )

    expect(editable.locator("h2")).to_have_text("Who teaches")
    expect(editable.locator(f'a[href="{LINK_URL}"]')).to_have_text(LINK_URL)
    expect(editable.locator("ul li")).to_have_text(["Painting", "Music"])


def test_journalist_writes_a_story_in_ckeditor_and_submits_it_for_review_but_cannot_publish(
    journalist_page, picture, screenshot
):
    page = journalist_page
    # The index's "Add" link on the Stories row (described by the row's heading).
    page.locator('a.addlink[aria-describedby="articles-article"]').click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Add story")

    page.get_by_label("Headline:", exact=True).fill(HEADLINE)
    page.get_by_label("Lead:", exact=True).fill(
        "Two hundred children signed up in the first week."
    )
    write_body(page, picture)

    # The section from the autocomplete: type a few letters, pick the match.
    page.locator(".field-section .select2-selection").click()
    page.locator(".select2-dropdown .select2-search__field").fill("Cult")
    page.locator(".select2-results__option", has_text="Culture").click()
    expect(page.locator(".field-section .select2-selection__rendered")).to_have_text(
        re.compile("Culture")
    )
    # Tags: the field suggests the newsroom's existing ones for the word being typed.
    tags = page.get_by_label("Tags:", exact=True)
    tags.press_sequentially("Fiz")
    expect(page.locator('#tag-suggestions option[value="Fizuli"]')).to_be_attached()
    tags.fill("Fizuli, Art centre")

    # A related link, in the inline below the form.
    page.get_by_role("button", name="Add another Related link").click()
    page.locator("#id_related_links-0-kind").select_option(label="External")
    page.locator("#id_related_links-0-url").fill("https://example.org/programme")
    page.locator("#id_related_links-0-title").fill("The centre's programme")
    screenshot(page, "written")

    # Publishing is an editor's step: the journalist's form has no such fields or buttons.
    expect(page.get_by_role("button", name="Publish now")).to_have_count(0)
    expect(page.get_by_role("button", name="Schedule")).to_have_count(0)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    story = Article.objects.get(headline=HEADLINE)
    assert story.status == Article.Status.DRAFT
    assert story.section.slug == "culture"
    assert sorted(story.tags.names()) == ["Art centre", "Fizuli"]
    assert story.related_links.get().url == "https://example.org/programme"
    assert Image.objects.filter(uploaded_by__username="jana").count() == 1
    for fragment in ["<h2>Who teaches</h2>", f'<a href="{LINK_URL}"', "<li>Music</li>", "<img"]:
        assert fragment in story.body
    screenshot(page, "saved-draft")

    actions = page.locator(".workflow-actions")
    expect(actions.get_by_role("button")).to_have_text(["Submit for review"])

    # A forged "Publish now" button added to the page: the server refuses the step.
    page.evaluate(
        """() => {
          const button = document.createElement("button");
          button.type = "submit"; button.name = "_workflow"; button.value = "publish";
          button.id = "forged"; button.textContent = "Forged publish";
          document.querySelector(".workflow-actions").append(button);
        }"""
    )
    page.locator("#forged").click()
    expect(page.locator(".errornote, .errorlist").first).to_be_visible()
    expect(page.get_by_text("You may not do that to this story.")).to_be_visible()
    story.refresh_from_db()
    assert story.status == Article.Status.DRAFT
    screenshot(page, "forged-publish-refused")

    page.locator(".workflow-actions").get_by_role("button", name="Submit for review").click()
    expect(page.locator(".messagelist .success").first).to_be_visible()
    story.refresh_from_db()
    assert story.status == Article.Status.REVIEW
    assert not Article.objects.published().filter(pk=story.pk).exists()
    screenshot(page, "submitted")
