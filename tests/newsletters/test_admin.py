"""Editors compose, preview, test and send issues; nobody else may send; the lists keep a
fixed query budget whatever their size."""

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from newsletters.models import Issue, IssueStory, Subscriber
from tests.factories import ArticleFactory
from tests.helpers import logged_in

from .conftest import subscribed

pytestmark = pytest.mark.django_db
ISSUES = reverse("admin:newsletters_issue_changelist")
SUBSCRIBERS = reverse("admin:newsletters_subscriber_changelist")


@pytest.fixture
def issue(briefing):
    issue = Issue.objects.create(newsletter=briefing, subject="Monday", intro="Hello.")
    IssueStory.objects.create(issue=issue, article=ArticleFactory(headline="Rain at last"))
    return issue


def act(client, action, issue):
    return client.post(ISSUES, {"action": action, "_selected_action": [issue.pk]}, follow=True)


def test_an_editor_sends_an_issue(editor, issue, briefing, sent):
    subscribed(briefing, "ana@example.com")
    with sent:
        act(logged_in(editor), "send_now", issue)
    assert [message.to for message in mail.outbox] == [["ana@example.com"]]
    assert Issue.objects.get().status == Issue.Status.SENT


def test_a_journalist_may_not_send(journalist, issue, briefing, sent):
    subscribed(briefing, "ana@example.com")
    with sent:
        response = act(logged_in(journalist), "send_now", issue)
    assert response.status_code == 403
    assert mail.outbox == []


def test_an_editor_sends_a_test_to_themselves_only(editor, issue, briefing):
    subscribed(briefing, "ana@example.com")
    act(logged_in(editor), "send_test", issue)
    [test] = mail.outbox
    assert test.to == [editor.email]
    assert test.subject == "[Test] Monday"
    assert Issue.objects.get().status == Issue.Status.DRAFT


def test_an_editor_schedules_an_issue(editor, issue):
    issue.send_at = timezone.now() + timedelta(hours=2)
    issue.save()
    act(logged_in(editor), "schedule", issue)
    assert Issue.objects.get().status == Issue.Status.SCHEDULED


def test_prefill_takes_the_top_stories_of_the_last_24_hours(editor, briefing):
    fresh = ArticleFactory(headline="Fresh", published_at=timezone.now() - timedelta(hours=2))
    ArticleFactory(headline="Old", published_at=timezone.now() - timedelta(days=3))
    ArticleFactory(headline="Russian", language="ru")
    draft = Issue.objects.create(newsletter=briefing, subject="Today")
    act(logged_in(editor), "prefill", draft)
    assert list(draft.ordered_stories()) == [fresh]


def test_the_preview_shows_html_and_plain_text(editor, issue):
    client = logged_in(editor)
    page = client.get(reverse("admin:newsletters_issue_preview", args=[issue.pk]))
    assert "mail-preview__frame--phone" in page.text
    assert "Rain at last" in page.text  # The plain-text part.
    html = client.get(reverse("admin:newsletters_issue_preview_mail", args=[issue.pk]))
    assert "<table" in html.text and 'lang="en"' in html.text
    assert "frame-ancestors 'self'" in html["Content-Security-Policy"]


def test_a_sent_issue_is_not_changed(editor, issue):
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT)
    page = logged_in(editor).get(reverse("admin:newsletters_issue_change", args=[issue.pk]))
    assert 'name="subject"' not in page.text


@pytest.mark.parametrize("size", [3, 30])
def test_the_lists_keep_their_query_budget(editor, briefing, size, django_assert_max_num_queries):
    for n in range(size):
        subscribed(briefing, f"r{n}@example.com")
        Issue.objects.create(newsletter=briefing, subject=f"Issue {n}")
    client = logged_in(editor)
    client.get(ISSUES)  # Session and permissions warmed.
    with django_assert_max_num_queries(10):
        assert client.get(ISSUES).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(SUBSCRIBERS + "?q=r1").status_code == 200


def test_subscribers_are_searched_by_address(editor, briefing):
    subscribed(briefing, "ana@example.com")
    Subscriber.objects.create(newsletter=briefing, email="bo@example.com")
    page = logged_in(editor).get(SUBSCRIBERS + "?q=ana")
    assert "ana@example.com" in page.text and "bo@example.com" not in page.text
