"""Journey: newsletters. Two readers subscribe from a story page (one browser with
JavaScript, one without), each confirms from the link in the confirmation mail; an editor
sends an issue from the admin; both receive it; one unsubscribes with the mail's link and
its button, the other's mail provider does RFC 8058's one-click POST; the next issue
reaches neither. The HTML part is opened in the browser at phone and desktop width.

Mail goes to Django's test outbox (the live server runs in this process); the task
worker runs here (``run_tasks``) where a ``db_worker`` would run beside the site.
"""

import re

import pytest
from django.core import mail
from playwright.sync_api import expect

from newsletters.models import Issue, IssueStory, Newsletter, Subscriber
from tests.helpers import run_tasks

from .browser import DESKTOP, PHONE

READERS = {"reader-js": "ana@example.com", "reader-no-js": "bob@example.com"}


@pytest.fixture
def briefing(demo_newsroom):
    """The demo's English morning briefing (it has a few made-up subscribers of its own)."""
    return Newsletter.objects.get(language="en", slug="morning-briefing")


def readers_status():
    return set(
        Subscriber.objects.filter(email__in=READERS.values()).values_list("status", flat=True)
    )


def mail_to(email, subject=None):
    found = [m for m in mail.outbox if m.to == [email] and subject in (None, m.subject)]
    assert found, [(m.to, m.subject) for m in mail.outbox]
    return found[-1]


def link_in(text, name):
    return re.search(rf"https?://\S+/{name}/[^/\s]+/", text)[0]


def local(url, live_server):
    return live_server.url + "/" + url.split("://", 1)[1].split("/", 1)[1]


def test_readers_subscribe_confirm_receive_an_issue_and_unsubscribe(
    open_page, editor_page, seed_story, briefing, live_server, screenshot, settings
):
    settings.SITE_URL = live_server.url  # The mail's links and pictures point at this site.
    pages = {
        "reader-js": open_page("reader-js", DESKTOP),
        "reader-no-js": open_page("reader-no-js", DESKTOP, java_script_enabled=False),
    }
    for name, reader in pages.items():
        reader.goto(seed_story.get_absolute_url())
        form = reader.locator("form.newsletter-form--story")
        expect(form).to_contain_text(briefing.tagline)
        form.get_by_label("Your email").fill(READERS[name])
        form.get_by_role("button", name="Subscribe").click()
        expect(reader.get_by_role("heading", name="Check your inbox")).to_be_visible()
        screenshot(reader, f"check-inbox-{name}")
    run_tasks()  # The worker sends the confirmations.

    for name, reader in pages.items():
        confirmation = mail_to(READERS[name])
        reader.goto(local(link_in(confirmation.body, "confirm"), live_server))
        reader.get_by_role("button", name="Yes, subscribe me").click()
        expect(reader.get_by_role("heading", name="You are subscribed")).to_be_visible()
    assert readers_status() == {"confirmed"}

    issue = Issue.objects.create(newsletter=briefing, subject="Tuesday", intro="Good morning.")
    IssueStory.objects.create(issue=issue, article=seed_story)
    editor_page.goto("/admin/newsletters/issue/")
    editor_page.get_by_role("row", name="Tuesday").get_by_role("checkbox").check()
    editor_page.locator("select[name=action]").select_option("send_now")
    editor_page.get_by_role("button", name="Go").click()
    expect(editor_page.locator(".messagelist")).to_contain_text("Sending has started")
    run_tasks()  # The delivery rows, then the batch.

    received = {name: mail_to(email, "Tuesday") for name, email in READERS.items()}
    html = received["reader-js"].alternatives[0].content
    assert seed_story.headline in html
    for name, viewport in (("phone", PHONE), ("desktop", DESKTOP)):
        inbox = open_page(f"mail-{name}", viewport, java_script_enabled=False)
        inbox.set_content(html)
        expect(inbox.locator("html")).to_have_attribute("lang", "en")
        expect(inbox.get_by_role("link", name=seed_story.headline)).to_be_visible()
        screenshot(inbox, f"issue-at-{viewport['width']}px")

    # Ana follows the visible link and presses the button.
    reader = pages["reader-js"]
    reader.goto(local(link_in(received["reader-js"].body, "unsubscribe"), live_server))
    reader.get_by_role("button", name="Unsubscribe").click()
    expect(reader.get_by_role("heading", name="You are unsubscribed")).to_be_visible()
    # Bob's mail provider posts the List-Unsubscribe address (no cookie, no page).
    one_click = received["reader-no-js"].extra_headers["List-Unsubscribe"].strip("<>")
    provider = pages["reader-no-js"].context.request
    response = provider.post(local(one_click, live_server), form={"List-Unsubscribe": "One-Click"})
    assert response.ok
    assert readers_status() == {"unsubscribed"}

    mail.outbox.clear()
    again = Issue.objects.create(newsletter=briefing, subject="Wednesday")
    IssueStory.objects.create(issue=again, article=seed_story)
    editor_page.goto("/admin/newsletters/issue/")
    editor_page.get_by_role("row", name="Wednesday").get_by_role("checkbox").check()
    editor_page.locator("select[name=action]").select_option("send_now")
    editor_page.get_by_role("button", name="Go").click()
    run_tasks()
    assert mail.outbox  # The demo's own subscribers get it...
    assert not {email for message in mail.outbox for email in message.to} & set(READERS.values())
