"""``load_demo``'s morning briefings: one newsletter per language with a sent issue of the
demo's stories and a delivery per subscriber, made once, and never in place of (or added
to) a newsletter an editor made."""

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from newsletters.models import Delivery, Issue, Newsletter, Subscriber
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db


def snapshot():
    return {
        model.__name__: sorted(model.objects.values_list("pk", flat=True))
        for model in [Newsletter, Subscriber, Issue, Delivery]
    }


def test_each_language_gets_a_morning_briefing_with_a_sent_issue_once(editor):
    # An editor already runs the Azerbaijani one under the demo's address.
    own = Newsletter.objects.create(name="Bizim icmal", slug="seher-icmali", language="az")
    call_command("load_demo")
    first = snapshot()
    call_command("load_demo")
    assert snapshot() == first
    assert mail.outbox == []  # Recorded as sent; nothing is mailed.

    assert set(Newsletter.objects.values_list("language", "name")) == {
        ("en", "Morning briefing"), ("ru", "Утренний брифинг"), ("az", "Bizim icmal"),
    }  # fmt: skip
    own.refresh_from_db()
    assert own.name == "Bizim icmal" and not own.issues.exists() and not own.subscribers.exists()
    for language in ("en", "ru"):
        issue = Issue.objects.get(newsletter__language=language)
        assert issue.status == Issue.Status.SENT and issue.sent_at
        stories = list(issue.ordered_stories())
        assert stories and {story.language for story in stories} == {language}
        subscribers = issue.newsletter.subscribers.mailable()
        assert subscribers.count() >= 3
        assert issue.deliveries.filter(status=Delivery.Status.SENT).count() == subscribers.count()

    page = logged_in(editor).get(reverse("admin:newsletters_issue_changelist"))
    assert "Morning briefing" in page.text and '<td class="field-sent">4</td>' in page.text
