"""axe-core on every kind of reader page in every language, and on the admin pages the
newsroom customised: no serious or critical violation of the WCAG 2.0/2.1/2.2 A and AA
rules. And the review form's errors are announced and tied to their fields.

axe-core comes bundled inside axe-playwright-python, so the check runs offline.
"""

import re
from datetime import timedelta
from urllib.parse import quote

import pytest
import reversion
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import expect

from articles.models import Article, StoryViewCount
from insights.readership import this_hour
from tests.factories import CommentFactory

from .browser import DESKTOP

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
BLOCKING_IMPACTS = {"serious", "critical"}
LANGUAGES = [code for code, _name in settings.LANGUAGES]
PAGES = ["home", "section", "story", "news_line", "tag", "author", "search", "privacy",
         "not_found"]  # fmt: skip


def page_url(name, story):
    """The address of a page of this kind in the story's language: the seed story's
    translation, its section, first tag and first author."""
    with translation.override(story.language):
        return {
            "home": lambda: reverse("articles:home"),
            "news_line": lambda: reverse("articles:news_line"),
            "section": lambda: story.section.get_absolute_url(),
            "story": lambda: story.get_absolute_url(),
            "tag": lambda: reverse("articles:tag", args=[story.tags.order_by("pk")[0].slug]),
            "author": lambda: story.bylines.order_by("position")[0].contributor.get_absolute_url(),
            # The first tag's name finds the story (and its neighbours) in any language.
            "search": lambda: (
                reverse("articles:search") + "?q=" + quote(story.tags.order_by("pk")[0].name)
            ),
            "privacy": lambda: reverse("articles:page", args=["privacy"]),
            "not_found": lambda: f"/{story.language}/no/such/page/",
        }[name]()


def serious_violations(page, parts=None):
    """Violations on the whole page, or only inside the ``parts`` (CSS selectors)."""
    results = Axe().run(
        page,
        context={"include": [[part] for part in parts]} if parts else None,
        options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]},
    )
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe(violations):
    return "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']}\n"
        + "\n".join(f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in violations
    )


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("language", LANGUAGES)
def test_reader_page_has_no_serious_accessibility_violations(
    page, seed_story, screenshot, language, name
):
    story = Article.objects.published().get(
        translation_group=seed_story.translation_group, language=language
    )
    if name == "story":  # With readers' reviews, a reply among them.
        first = CommentFactory(article=story, author_name="Nigar Əliyeva")
        CommentFactory(article=story, parent=first, is_newsroom=True, author_name="Newsroom")
        CommentFactory(article=story, body="Спасибо.\nЖдём продолжения.")
    response = page.goto(page_url(name, story))
    assert response.status == (404 if name == "not_found" else 200)
    screenshot(page, name)
    if name == "story":
        expect(page.locator("#reviews article.review")).to_have_count(3)
    elif name == "search":
        expect(page.locator(".search-result").first).to_be_visible()
    violations = serious_violations(page)
    assert not violations, describe(violations)


# The admin pages the newsroom customised, and the parts of them it wrote. The dashboard is
# checked whole. On the story form and the review queue, axe also flags Django's own admin
# markup, which this project does not own: tabular inline cells labelled only by their
# column headings, the split date/time inputs, select2's autocomplete boxes, unstyled
# breadcrumb links and small filter links. The check keeps to the newsroom's parts there.
ADMIN_PAGES = {
    "dashboard": (lambda story: reverse("admin:index"), None),
    "story_form": (
        lambda story: reverse("admin:articles_article_change", args=[story.pk]),
        [".workflow-bar", ".workflow-actions", ".field-status_history"],
    ),
    "front_page": (
        lambda story: reverse("admin:articles_frontpageslot_changelist") + "?q=fizuli",
        [".front-desk"],
    ),
    "review_queue": (
        lambda story: reverse("admin:comments_comment_changelist") + "?queue=pending",
        ["#result_list"],
    ),
    "translation_board": (lambda story: reverse("insights:translations"), ["#content-main"]),
    "story_charts": (
        lambda story: reverse("admin:articles_article_change", args=[story.pk]),
        [".insights"],
    ),
}


@pytest.mark.parametrize("name", ADMIN_PAGES)
def test_customised_admin_page_has_no_serious_accessibility_violations(
    seed_story, editor_page, screenshot, name
):
    CommentFactory(article=seed_story, status="pending", body="Is there a source for this?")
    url, parts = ADMIN_PAGES[name]
    response = editor_page.goto(url(seed_story))
    assert response.status == 200
    screenshot(editor_page, name)
    if parts:
        for part in parts:
            expect(editor_page.locator(part)).to_be_visible()
    violations = serious_violations(editor_page, parts)
    assert not violations, describe(violations)


@pytest.mark.parametrize(
    ("name", "shown"),
    [("dashboard", ".insights svg"), ("translation_board", ".stale")],
)
def test_the_insight_screens_with_their_content_have_no_serious_violations(
    seed_story, editor_page, screenshot, name, shown
):
    """The dashboard with reads in every readership chart, and the translation board with
    a translation out of date (its source's changed words as a diff open, the "Mark
    checked" form): no serious violation, in the same parts as above (the whole
    dashboard; the board without Django's breadcrumbs)."""
    for hours_ago in range(0, 24 * 5, 3):
        StoryViewCount.count(seed_story.pk, this_hour() - timedelta(hours=hours_ago),
                             views=hours_ago % 17 + 1)  # fmt: skip
    group = Article.objects.filter(translation_group=seed_story.translation_group)
    source, translated = group.order_by("pk")[:2]
    with reversion.create_revision():
        translated.save()
    source.lead = f"{source.lead} The ministry revised the figures on Monday."
    with reversion.create_revision():
        source.save()
    # The board lists the newest groups first: bring this one to its first page.
    group.filter(pk=source.pk).update(created_at=timezone.now())
    url, parts = ADMIN_PAGES[name]
    assert editor_page.goto(url(seed_story)).status == 200
    expect(editor_page.locator(shown).first).to_be_visible()
    if name == "translation_board":
        editor_page.locator(".stale ~ details summary, details:has(.diff) summary").first.click()
        expect(editor_page.locator(".diff ins").first).to_be_visible()
    screenshot(editor_page, f"{name}-with-content")
    violations = serious_violations(editor_page, parts)
    assert not violations, describe(violations)


def test_the_charts_read_as_titled_images_with_their_tables(seed_story, editor_page):
    """A screen reader meets each chart as an image named by its title, and its numbers
    in a table behind a disclosure."""
    StoryViewCount.count(seed_story.pk, this_hour(), views=12)
    editor_page.goto(reverse("admin:index"))
    chart = editor_page.get_by_role("img", name="Top stories this hour")
    expect(chart).to_be_visible()
    disclosure = editor_page.get_by_text("Data table: Top stories this hour")
    disclosure.click()
    table = editor_page.locator("details[open] table")
    expect(table.get_by_role("rowheader", name=seed_story.headline)).to_be_visible()
    expect(table.get_by_role("cell", name="12", exact=True)).to_be_visible()


def send_empty_review(page, story):
    page.goto(story.get_absolute_url())
    page.locator("form.review-form").get_by_role("button", name="Send review").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Leave a review")


def test_review_form_errors_are_announced_and_tied_to_their_fields(
    open_page, seed_story, screenshot
):
    """Sent empty without JavaScript, the form comes back with each error in a
    role="alert" element that its field's aria-describedby names, next to any help text."""
    page = open_page("reader-no-js", DESKTOP, java_script_enabled=False)
    send_empty_review(page, seed_story)
    screenshot(page, "errors")

    fields = {"Name": "id_author_name", "Email": "id_email", "Your review": "id_body"}
    for label, field_id in fields.items():
        field = page.locator(f"#{field_id}")
        expect(field).to_have_accessible_name(re.compile(label))
        expect(field).to_have_attribute("aria-invalid", "true")
        described_by = field.get_attribute("aria-describedby").split()
        assert f"{field_id}_error" in described_by, (label, described_by)
        error = page.locator(f"#{field_id}_error")
        expect(error).to_have_attribute("role", "alert")
        expect(error).to_have_text("This field is required.")
        expect(field).to_have_accessible_description(re.compile("This field is required."))
        # Marked by more than colour: a bar beside the field and a sign before the message.
        bar = field.evaluate("f => getComputedStyle(f.parentElement).borderLeftWidth")
        sign = error.evaluate("e => getComputedStyle(e, '::before').content")
        assert (bar, "⚠" in sign) == ("4px", True), (label, bar, sign)
    assert "id_email_helptext" in page.locator("#id_email").get_attribute("aria-describedby")

    # axe needs scripts to run (its promise never settles without them): the same page
    # again, from a browser with JavaScript, which changes nothing in the form's answer.
    checked = open_page("reader", DESKTOP)
    send_empty_review(checked, seed_story)
    expect(checked.locator("[role=alert]")).to_have_count(3)
    violations = serious_violations(checked)
    assert not violations, describe(violations)
