"""The emails to moderators, sent by task workers (core/tasks.py), never in a request:
enqueued after commit, retried while the mail server fails, each sent once.

The daily digest needs no cron: each slot's task plans the next slot before it sends, and
``manage.py plan_tasks`` plans the chain again after the queue was emptied
(``digest_replan``).
"""

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from core.tasks import claimed, enqueue_at, retried

from . import notifications
from .models import ModerationDigest, Report


@task()
@retried
def email_illegal_content_alert(report_id):
    """Tell the moderators that a reader reported a review as illegal content. Idempotent:
    the report's ``alert_sent_at`` is claimed before the email goes, so a second run sends
    nothing; a failed send gives the claim back and the retry sends."""
    report = Report.objects.filter(pk=report_id)
    with claimed(report, "alert_sent_at") as ours:
        if not ours:
            return "already sent"  # Or the report was erased since.
        sent = notifications.send_illegal_content_alert(report.get())
        return "sent" if sent else "no moderator to tell"


@task()
@retried
def email_review_digest(slot):
    """At ``slot`` (an ISO time), plan the next slot, then email the moderators the pending
    queue. Idempotent: the slot's row is claimed before the email goes (one email per slot
    however many copies run), and planning the next slot collapses copies of the chain."""
    slot = datetime.fromisoformat(slot)
    # After the slot and after now: a late run plans the next slot to come, not a catch-up.
    digest_plan(ModerationDigest.slot_after(max(slot, timezone.now())))
    # The row is there unless the database was restored to before the slot was planned
    # while the queue (in Redis, say) kept its task.
    digest, _created = ModerationDigest.objects.get_or_create(slot=slot)
    with claimed(ModerationDigest.objects.filter(pk=digest.pk), "sent_at") as ours:
        if not ours:
            return "already sent"
        return "sent" if notifications.send_pending_digest() else "nothing to send"


def digest_plan(slot):
    """Plan the digest of ``slot`` unless its row exists: the copy of the chain that creates
    the row plans it, any other copy finds the row and plans nothing."""
    _digest, created = ModerationDigest.objects.get_or_create(slot=slot)
    if created:
        enqueue_at(slot, email_review_digest, slot.isoformat())
    return created


def digest_replan():
    """Plan the digest again whatever the queue holds (``manage.py plan_tasks``): the next
    slot, and the last one gone by if it was never sent (lost with an emptied queue, or
    failed for good), which goes out at once. Returns the next slot.

    A copy that was still waiting is harmless: the claim sends once, and the next slot's
    row collapses the chains.
    """
    now = timezone.now()
    upcoming = ModerationDigest.slot_after(now)
    ModerationDigest.objects.get_or_create(slot=upcoming)
    last = ModerationDigest.objects.filter(slot__lte=now).order_by("-slot").first()
    if last is not None and last.sent_at is None:
        enqueue_at(last.slot, email_review_digest, last.slot.isoformat())
    enqueue_at(upcoming, email_review_digest, upcoming.isoformat())
    return upcoming
