"""Opens are counted only where an editor turned it on: by default an issue carries no
image that reports back; with "count opens", one 1x1 image per mail counts each
subscriber's first open in the issue's total, and story links still carry no reader id."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from newsletters.models import Issue, IssueStory
from newsletters.services import issue_send
from tests.factories import ArticleFactory
from tests.helpers import logged_in

from .conftest import subscribed

pytestmark = pytest.mark.django_db
OPEN_IMAGE = r'src="(https?://[^"]+/newsletters/open/[^"]+\.gif)"'


def send(newsletter, sent):
    issue = Issue.objects.create(newsletter=newsletter, subject="Monday")
    IssueStory.objects.create(issue=issue, article=ArticleFactory(headline="Rain at last"))
    with sent:
        issue_send(issue=issue)
    return issue


def html_of(message):
    return message.alternatives[0].content


def path_of(url):
    return re.sub(r"^https?://[^/]+", "", url)


def test_by_default_an_issue_counts_no_opens(briefing, sent):
    subscribed(briefing, "ana@example.com")
    send(briefing, sent)
    html = html_of(mail.outbox[0])
    assert "/newsletters/open/" not in html
    assert re.search(r'<img[^>]+width="1"', html) is None


def test_with_count_opens_each_subscriber_first_open_counts(client, briefing, sent):
    briefing.count_opens = True
    briefing.save()
    subscribed(briefing, "ana@example.com")
    subscribed(briefing, "bob@example.com")
    issue = send(briefing, sent)
    images = [re.search(OPEN_IMAGE, html_of(message))[1] for message in mail.outbox]
    assert len(set(images)) == 2
    tag = next(
        tag for tag in re.findall(r"<img [^>]+>", html_of(mail.outbox[0])) if images[0] in tag
    )
    assert all(attribute in tag for attribute in ('width="1"', 'height="1"', 'alt=""'))
    first = client.get(path_of(images[0]))
    assert first.status_code == 200 and first["Content-Type"] == "image/gif"
    assert first.content.startswith(b"GIF89a")
    assert "no-cache" in first["Cache-Control"]
    client.get(path_of(images[0]))  # Opened again: still one.
    issue.refresh_from_db()
    assert issue.opens == 1
    client.get(path_of(images[1]))
    issue.refresh_from_db()
    assert issue.opens == 2
    # The story links carry no reader id, counting or not.
    story_links = [
        link for message in mail.outbox for link in re.findall(r'href="([^"]+)"', html_of(message))
        if "rain-at-last" in link
    ]  # fmt: skip
    assert len(set(story_links)) == 1 and "?" not in story_links[0]


def test_a_forged_image_address_counts_nothing_and_looks_the_same(client, briefing, sent):
    briefing.count_opens = True
    briefing.save()
    subscribed(briefing, "ana@example.com")
    issue = send(briefing, sent)
    forged = client.get(reverse("newsletter_open", args=["1:forged"]))
    assert forged.status_code == 200 and forged.content.startswith(b"GIF89a")
    issue.refresh_from_db()
    assert issue.opens == 0


def test_turning_counting_off_stops_it_at_once(client, briefing, sent):
    briefing.count_opens = True
    briefing.save()
    subscribed(briefing, "ana@example.com")
    issue = send(briefing, sent)
    image = re.search(OPEN_IMAGE, html_of(mail.outbox[0]))[1]
    briefing.count_opens = False
    briefing.save()
    client.get(path_of(image))
    issue.refresh_from_db()
    assert issue.opens == 0


def test_a_preview_and_a_test_mail_count_nothing(editor, briefing):
    briefing.count_opens = True
    briefing.save()
    issue = Issue.objects.create(newsletter=briefing, subject="Monday")
    editors = logged_in(editor)
    preview = editors.get(reverse("admin:newsletters_issue_preview_mail", args=[issue.pk]))
    assert "/newsletters/open/" not in preview.text
    changelist = reverse("admin:newsletters_issue_changelist")
    editors.post(changelist, {"action": "send_test", "_selected_action": [issue.pk]})
    assert "/newsletters/open/" not in html_of(mail.outbox[0])


def test_the_issue_list_shows_opens_only_where_they_are_counted(editor, briefing, sent):
    briefing.count_opens = True
    briefing.save()
    Issue.objects.create(newsletter=briefing, subject="Counted", opens=7)
    page = logged_in(editor).get(reverse("admin:newsletters_issue_changelist"))
    assert re.search(r'<td class="field-opened">7</td>', page.text)
