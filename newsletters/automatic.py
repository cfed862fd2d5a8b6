"""Newsletters that send themselves, daily or weekly at their send time.

No cron of our own, as with the moderators' digest (comments/tasks.py): each slot's task
plans the next slot before it assembles its issue, saving a newsletter in the admin plans
its next slot, and ``manage.py plan_tasks`` plans every chain again after the queue was
emptied (``automatic_replan``). A task whose slot the schedule no longer has (the editor
changed the time or stopped the cadence) does nothing and plans nothing: the save planned
the new chain. The issue of a slot is made once (``Issue.period`` is unique), so a copy of
the chain that slipped through sends nothing twice.
"""

from datetime import datetime

from django.utils import timezone
from django_tasks import task

from core.tasks import enqueue_at, is_waiting, retried

from .models import Newsletter
from .services import automatic_issue_send


@task()
@retried
def send_automatic_issue(newsletter_id, slot):
    """At ``slot`` (an ISO time), plan the next slot, then assemble and send the issue.
    Idempotent: the slot's issue is made once, and the next slot is planned unless it
    waits already."""
    slot = datetime.fromisoformat(slot)
    newsletter = Newsletter.objects.filter(pk=newsletter_id).first()
    if newsletter is None or not newsletter.is_slot(slot):
        return "not a slot any more"
    # After the slot and after now: a late run plans the next slot to come, not a catch-up.
    automatic_plan(newsletter, after=max(slot, timezone.now()))
    issue = automatic_issue_send(newsletter=newsletter, slot=slot)
    return "sent" if issue is not None else "nothing new"


def automatic_plan(newsletter, after=None):
    """Plan ``newsletter``'s next slot after ``after`` (now) unless it waits already.
    Returns the slot, or None for a newsletter that does not send itself."""
    slot = newsletter.slot_after(after or timezone.now())
    if slot is not None and not is_waiting(send_automatic_issue, newsletter.pk, slot.isoformat()):
        enqueue_at(slot, send_automatic_issue, newsletter.pk, slot.isoformat())
    return slot


def automatic_replan():
    """Plan every automatic newsletter's next slot (``manage.py plan_tasks``); returns how
    many newsletters send themselves."""
    newsletters = Newsletter.objects.exclude(cadence=Newsletter.Cadence.NONE)
    for newsletter in newsletters:
        automatic_plan(newsletter)
    return len(newsletters)
