"""Sending an issue in batches: each subscriber once, even after a crash; the rate setting
spaces the batches; unsubscribing stops what is still queued; a schedule is kept."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from newsletters.models import Delivery, Issue
from newsletters.services import issue_send, subscriber_unsubscribe
from newsletters.tasks import send_batch, send_issue

from .conftest import subscribed

pytestmark = pytest.mark.django_db


@pytest.fixture
def readers(briefing):
    return [subscribed(briefing, f"r{n}@example.com") for n in range(10)]


def recipients():
    return sorted(message.to[0] for message in mail.outbox)


def test_a_send_interrupted_halfway_and_resumed_delivers_each_subscriber_once(
    briefing, readers, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 4
    issue = Issue.objects.create(newsletter=briefing, subject="Monday")
    issue_send(issue=issue)
    send_issue.call(issue.pk)  # The delivery rows.
    send_batch.call(issue.pk)  # Four sent; then the worker dies before the next batch.
    # A fifth was being sent when the worker was killed: claimed, its mail maybe gone.
    killed = Delivery.objects.filter(claimed_at=None).order_by("pk").first()
    Delivery.objects.filter(pk=killed.pk).update(claimed_at=timezone.now())
    assert len(mail.outbox) == 4

    # Resumed: the issue is planned again and every batch runs, some of them twice.
    send_issue.call(issue.pk)
    for _try in range(4):
        send_batch.call(issue.pk)
    assert len(mail.outbox) == 9
    assert len(set(recipients())) == 9  # Nobody twice; the killed one is not sent again.
    assert Delivery.objects.count() == 10
    assert Issue.objects.get().status == Issue.Status.SENT


def test_the_next_batch_waits_as_the_rate_setting_says(
    briefing, readers, settings, django_capture_on_commit_callbacks
):
    settings.NEWSLETTER_BATCH_SIZE = 5
    settings.NEWSLETTER_RATE_PER_MINUTE = 10  # Five mails, then half a minute's pause.
    issue = Issue.objects.create(newsletter=briefing, subject="Monday")
    issue_send(issue=issue)
    send_issue.call(issue.pk)
    before = timezone.now()
    with django_capture_on_commit_callbacks(execute=True):
        send_batch.call(issue.pk)
    planned = DBTaskResult.objects.filter(task_path__endswith="send_batch").get()
    assert len(mail.outbox) == 5
    assert planned.run_after >= before + timedelta(seconds=29)


def test_unsubscribing_during_a_send_stops_what_is_queued(briefing, readers, sent):
    issue = Issue.objects.create(newsletter=briefing, subject="Monday")
    issue_send(issue=issue)
    send_issue.call(issue.pk)
    subscriber_unsubscribe(subscriber=readers[0])
    with sent:
        send_batch.call(issue.pk)
    assert "r0@example.com" not in recipients()
    assert len(mail.outbox) == 9
    assert Delivery.objects.filter(status=Delivery.Status.SKIPPED).count() == 1


def test_a_scheduled_issue_waits_for_its_time(briefing, readers, sent):
    issue = Issue.objects.create(newsletter=briefing, subject="Monday")
    with sent:
        issue_send(issue=issue, when=timezone.now() + timedelta(hours=1))
    assert mail.outbox == []
    assert Issue.objects.get().status == Issue.Status.SCHEDULED
    with time_machine.travel(timedelta(minutes=61)), sent:
        pass
    assert len(mail.outbox) == 10
    assert Issue.objects.get().status == Issue.Status.SENT
