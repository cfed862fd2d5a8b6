"""An editor in the admin: the story list, a story's form with CKEditor 5, an edit typed
into the editor, saved, and seen on the story page; the edit lock kept alive while the
form is open."""

import re

from playwright.sync_api import expect

from articles import locks

from .browser import SEED_HEADLINE

ADDED_TEXT = "Added in the browser: the art centre opens to pupils in September."


def test_editor_types_into_ckeditor_saves_and_sees_the_text_on_the_story_page(
    editor_page, seed_story, screenshot
):
    page = editor_page
    page.locator("#articles-article").get_by_role("link", name="Stories").click()
    expect(page).to_have_url(re.compile(r"/admin/articles/article/$"))
    screenshot(page, "story-list")

    page.get_by_role("link", name=SEED_HEADLINE).first.click()
    editable = page.locator(".ck-editor__editable")
    expect(editable).to_be_visible()
    expect(editable).to_contain_text("A centre for the next generation")
    screenshot(page, "change-form")
    # The whole form, related-content table included, fits a 1280 px screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]

    # Type a new last paragraph, as an editor does: put the caret at the very end and start
    # a new one. The caret is placed through CKEditor's own model: a DOM selection reaches
    # the editor asynchronously, and on a busy machine Enter could arrive first.
    editable.click()
    editable.evaluate(
        """element => {
            const editor = element.ckeditorInstance;
            editor.model.change(writer => {
                writer.setSelection(editor.model.document.getRoot(), "end");
            });
            editor.editing.view.focus();
        }"""
    )
    page.keyboard.press("Enter")
    page.keyboard.type(ADDED_TEXT)
    expect(editable.locator("p").last).to_have_text(ADDED_TEXT)
    page.get_by_role("button", name="Save and continue editing").click()
    expect(page.locator(".messagelist .success")).to_be_visible()
    screenshot(page, "saved")

    page.get_by_role("link", name="View on site").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(SEED_HEADLINE)
    expect(page.locator(".story__body p").last).to_have_text(ADDED_TEXT)
    screenshot(page, "story-page")
    seed_story.refresh_from_db()
    assert f"<p>{ADDED_TEXT}</p>" in seed_story.body


def test_an_open_story_form_keeps_its_edit_lock_alive(editor_page, seed_story, monkeypatch):
    # A 3-second lock: the form's heartbeat (a third of it) comes after one second.
    monkeypatch.setattr(locks, "EDIT_LOCK_SECONDS", 3)
    page = editor_page

    def heartbeat(request):
        return request.method == "POST" and request.url.endswith(f"/{seed_story.pk}/lock/")

    with page.expect_request(heartbeat, timeout=10_000) as sent:
        page.goto(f"/admin/articles/article/{seed_story.pk}/change/")
    assert sent.value.response().status == 204  # Still this editor's lock.
