"""Sending an issue: delivery rows first, then batches at the configured rate.

``send_issue`` makes one ``Delivery`` per confirmed subscriber (the unique constraint
makes a second run add none) and starts the batches. ``send_batch`` sends up to
``NEWSLETTER_BATCH_SIZE`` queued deliveries, each under ``claimed()``: a delivery is
stamped before its mail goes out, so a batch run again after a crash skips it (at most
once). It plans the next batch ``NEWSLETTER_BATCH_SIZE / NEWSLETTER_RATE_PER_MINUTE``
minutes later, so the provider's rate limit holds.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import get_connection
from django.utils import timezone
from django_tasks import task

from core.tasks import claimed, enqueue_at, enqueue_on_commit, retried

from .mail import IssueMail, send_confirmation_mail
from .models import Delivery, Issue, Subscriber

logger = logging.getLogger("newsletters.send")


@task()
@retried
def send_confirmation(subscriber_id):
    """A retry may send a second confirmation, never an issue; a subscriber confirmed or
    gone meanwhile gets none."""
    subscriber = Subscriber.objects.select_related("newsletter").filter(pk=subscriber_id).first()
    if subscriber is not None and subscriber.status == Subscriber.Status.PENDING:
        send_confirmation_mail(subscriber)


@task()
@retried
def send_issue(issue_id):
    """Idempotent: a rescheduled issue waits for its new time; rows are made once."""
    issue = Issue.objects.filter(pk=issue_id).first()
    if issue is None or issue.status == Issue.Status.SENT:
        return
    if issue.status == Issue.Status.DRAFT or (issue.send_at and issue.send_at > timezone.now()):
        return  # Taken back to draft, or moved to a later time (another task waits).
    Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENDING)
    subscribers = Subscriber.objects.mailable().filter(newsletter=issue.newsletter_id)
    ids = subscribers.values_list("pk", flat=True).iterator(chunk_size=2000)
    batch = []
    for subscriber_id in ids:
        batch.append(Delivery(issue_id=issue.pk, subscriber_id=subscriber_id))
        if len(batch) == 2000:
            Delivery.objects.bulk_create(batch, ignore_conflicts=True)
            batch = []
    Delivery.objects.bulk_create(batch, ignore_conflicts=True)
    enqueue_on_commit(send_batch, issue.pk)


def _pause():
    minutes = settings.NEWSLETTER_BATCH_SIZE / settings.NEWSLETTER_RATE_PER_MINUTE
    return timedelta(minutes=minutes)


@task()
@retried
def send_batch(issue_id):
    """Idempotent: only unclaimed deliveries are sent, each claimed first."""
    issue = Issue.objects.select_related("newsletter").get(pk=issue_id)
    issue_mail = IssueMail(issue, issue.ordered_stories())
    waiting = Delivery.objects.filter(
        issue=issue, status=Delivery.Status.QUEUED, claimed_at=None
    ).select_related("subscriber__newsletter")
    batch = list(waiting.order_by("pk")[: settings.NEWSLETTER_BATCH_SIZE])
    connection = get_connection()
    with connection:
        for delivery in batch:
            send_one(delivery, issue_mail, connection)
    if waiting.exists():
        enqueue_at(timezone.now() + _pause(), send_batch, issue.pk)
    else:
        Issue.objects.filter(pk=issue.pk).update(status=Issue.Status.SENT, sent_at=timezone.now())
        logger.info("issue_sent", extra={"issue": issue.pk})


def send_one(delivery, issue_mail, connection):
    row = Delivery.objects.filter(pk=delivery.pk)
    with claimed(row, "claimed_at") as won:
        if not won:
            return
        subscriber = delivery.subscriber
        if subscriber.status != Subscriber.Status.CONFIRMED:
            row.update(status=Delivery.Status.SKIPPED)
            return
        try:
            issue_mail.message(subscriber, connection, delivery).send()
        except OSError:
            # One refused address must not stop the others; it is counted as failed.
            logger.warning("delivery_failed", extra={"delivery": delivery.pk})
            row.update(status=Delivery.Status.FAILED)
            return
        row.update(status=Delivery.Status.SENT, sent_at=timezone.now())
