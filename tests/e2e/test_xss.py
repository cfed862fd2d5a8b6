"""Hostile text in every place readers and editors can put text, rendered in a real browser:
no script may run, on the reader's page or in the admin.

Each payload, if it ever ran, would open a dialog or set ``window.__xss``; the test listens
for both. The story body goes through the admin form (nh3 on save); review names and texts,
tag names, section names and image captions are stored as given and must come out escaped.
"""

import pytest
from django.test import Client
from django.urls import reverse

from articles.models import Article
from tests.factories import (
    ArticleFactory,
    CommentFactory,
    ImageFactory,
    SectionFactory,
    SuperuserFactory,
)
from tests.helpers import XSS_PAYLOADS as REVIEW_CORPUS

from .browser import DESKTOP, EDITOR_PASSWORD, log_in

MARKED = [
    '<img src=x onerror="window.__xss=1">',
    '<svg onload="window.__xss=1">',
    '<body onpageshow="window.__xss=1">',
    "<script>window.__xss=1</script>",
    '<iframe srcdoc="<script>parent.__xss=1</script>">',
    '<a href="javascript:window.__xss=1" id="xss-link">link</a>',
    '<img src="x" onerror="&#119;indow.__xss=1">',
    '<style>@import "javascript:window.__xss=1";</style>',
    '<svg><animate onbegin="window.__xss=1" attributeName="x" dur="1s">',
    '<audio src=x onerror="window.__xss=1">',
    '<video poster=x onerror="window.__xss=1"></video>',
    '<isindex action="javascript:window.__xss=1" type=image>',
    "<template><script>window.__xss=1</script></template>",
    '<noscript><p title="</noscript><img src=x onerror=window.__xss=1>">',
    '<table background="javascript:window.__xss=1">',
    '<svg><a xlink:href="javascript:window.__xss=1"><text x="20" y="20">XSS</text></a>',
]
PAYLOADS = REVIEW_CORPUS + MARKED


def test_corpus_has_at_least_fifty_payloads():
    assert len(PAYLOADS) >= 50


@pytest.fixture
def hostile_story(transactional_db, settings):
    """A published story whose every text field a person can fill holds the corpus."""
    settings.COMMENTS_PER_PAGE = 100
    admin = SuperuserFactory(username="xss-admin")
    section = SectionFactory(slug="hostile", name=PAYLOADS[0][:80], name_ru=PAYLOADS[1][:80])
    SectionFactory(slug="hostile-2", name=PAYLOADS[-1][:80])
    image = ImageFactory(caption=PAYLOADS[2], credit=PAYLOADS[3], alt_text=PAYLOADS[4])
    client = Client()
    client.force_login(admin)
    form = {
        "language": "en", "headline": "Hostile text, rendered", "slug": "hostile-text",
        "lead": PAYLOADS[5], "kicker": PAYLOADS[6][:120],
        "body": "".join(f"<p>{payload}</p>" for payload in PAYLOADS),
        "section": section.pk, "lead_image": image.pk, "tags": "", "status": "draft",
        "_workflow": "publish", "comments_mode": "open",
        **{f"{prefix}-{field}": 0 for prefix in ["bylines", "related_links", "corrections"]
           for field in ["TOTAL_FORMS", "INITIAL_FORMS"]},
    }  # fmt: skip
    response = client.post(reverse("admin:articles_article_add"), form)
    assert response.status_code == 302, response.context["adminform"].form.errors
    story = Article.objects.get(slug="hostile-text")
    assert story.is_published
    story.tags.add(*[payload[:100] for payload in PAYLOADS[:12]])
    for n, payload in enumerate(PAYLOADS):
        CommentFactory(
            article=story,
            status="approved",
            author_name=payload[:80],
            email=f"reader{n}@example.com",
            body=payload,
        )
    ArticleFactory(section=section, headline=PAYLOADS[7][:200])
    return story


def watch(page):
    """Record dialogs (and dismiss them) so a run script cannot stall the page."""
    dialogs = []

    def on_dialog(dialog):
        dialogs.append(dialog.message)
        dialog.dismiss()

    page.on("dialog", on_dialog)
    return dialogs


def assert_nothing_ran(page, dialogs):
    page.wait_for_timeout(300)  # Give onload/onerror handlers their chance.
    assert dialogs == []
    assert page.evaluate("() => window.__xss === undefined")


def test_no_payload_runs_on_the_reader_pages(open_page, hostile_story, screenshot):
    page = open_page("reader", DESKTOP)
    dialogs = watch(page)
    for path in [hostile_story.get_absolute_url(), "/en/", "/en/hostile/", "/en/news-line/"]:
        page.goto(path)
        assert_nothing_ran(page, dialogs)
    page.goto(hostile_story.get_absolute_url())
    assert page.locator(".reviews").get_by_text(PAYLOADS[0]).count() >= 1  # Shown as text.
    screenshot(page, "story")


def test_no_payload_runs_in_the_admin(open_page, hostile_story, screenshot):
    SuperuserFactory(username="xss-editor")
    page = open_page("admin", DESKTOP)
    log_in(page, "xss-editor", EDITOR_PASSWORD)
    dialogs = watch(page)
    for path in [
        reverse("admin:articles_article_change", args=[hostile_story.pk]),
        reverse("admin:articles_article_changelist"),
        reverse("admin:comments_comment_changelist") + "?queue=approved",
        reverse("admin:articles_section_changelist"),
        reverse("admin:articles_image_changelist"),
        reverse("admin:taggit_tag_changelist"),
        reverse("admin:index"),
    ]:
        page.goto(path)
        assert_nothing_ran(page, dialogs)
    page.goto(reverse("admin:articles_article_change", args=[hostile_story.pk]))
    screenshot(page, "admin-story")
