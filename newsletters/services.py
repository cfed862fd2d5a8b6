"""Subscribing, confirming, unsubscribing, composing and sending an issue."""

from datetime import timedelta

from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.frontpage import front_page
from articles.models import Article
from core.tasks import enqueue_at, enqueue_on_commit

from .models import Bounce, Delivery, Issue, IssueStory, Subscriber
from .tasks import send_confirmation, send_issue


@transaction.atomic
def subscription_request(*, newsletter, email, ip_hash):
    """Ask ``email`` to confirm ``newsletter``. A confirmed address gets no mail and no
    change, so the answer a reader sees is the same whether or not it was subscribed."""
    subscriber, _created = Subscriber.objects.select_for_update().get_or_create(
        newsletter=newsletter, email=email, defaults={"ip_hash": ip_hash}
    )
    if subscriber.status == Subscriber.Status.CONFIRMED:
        return subscriber
    # Pending again (or for the first time): nothing is sent until the link is followed.
    subscriber.status = Subscriber.Status.PENDING
    subscriber.ip_hash = ip_hash
    subscriber.save(update_fields=["status", "ip_hash"])
    enqueue_on_commit(send_confirmation, subscriber.pk)
    return subscriber


@transaction.atomic
def subscriber_confirm(*, subscriber):
    if subscriber.status != Subscriber.Status.CONFIRMED:
        subscriber.status = Subscriber.Status.CONFIRMED
        subscriber.confirmed_at = timezone.now()
        subscriber.unsubscribed_at = None
        subscriber.save(update_fields=["status", "confirmed_at", "unsubscribed_at"])
    return subscriber


@transaction.atomic
def subscriber_unsubscribe(*, subscriber):
    if subscriber.status != Subscriber.Status.UNSUBSCRIBED:
        subscriber.status = Subscriber.Status.UNSUBSCRIBED
        subscriber.unsubscribed_at = timezone.now()
        subscriber.save(update_fields=["status", "unsubscribed_at"])
    # A delivery still queued for this address is not sent (the batch checks again too).
    subscriber.deliveries.filter(status=Delivery.Status.QUEUED, claimed_at=None).update(
        status=Delivery.Status.SKIPPED
    )
    return subscriber


@transaction.atomic
def delivery_opened(*, delivery_id):
    """Count an open of the issue ``delivery_id`` carried, once per delivery, and only
    while its newsletter counts opens (a switch turned off stops counting at once)."""
    counted = Delivery.objects.filter(
        pk=delivery_id, opened=False, issue__newsletter__count_opens=True
    )
    issue_id = counted.values_list("issue_id", flat=True).first()
    # The update is conditional: of two opens at once, one counts.
    if issue_id is not None and counted.update(opened=True):
        Issue.objects.filter(pk=issue_id).update(opens=F("opens") + 1)


@transaction.atomic
def subscriber_erase(*, email):
    """A privacy request: every subscription, delivery and bounce row of ``email``, gone."""
    subscribers = Subscriber.objects.filter(email__iexact=email)
    count = subscribers.count()
    subscribers.delete()
    Bounce.objects.filter(email__iexact=email).delete()
    return count


@transaction.atomic
def bounce_record(*, email, kind, description=""):
    """Record what the mail provider reported. A hard bounce stops every newsletter
    mailing ``email``: its subscriptions become bounced and nothing queued is sent."""
    bounce = Bounce.objects.create(email=email, kind=kind, description=description[:500])
    if kind == Bounce.Kind.HARD:
        subscribers = Subscriber.objects.filter(email__iexact=email).exclude(
            status=Subscriber.Status.BOUNCED
        )
        Delivery.objects.filter(
            subscriber__in=subscribers, status=Delivery.Status.QUEUED, claimed_at=None
        ).update(status=Delivery.Status.SKIPPED)
        subscribers.update(status=Subscriber.Status.BOUNCED, unsubscribed_at=timezone.now())
    return bounce


@transaction.atomic
def issue_send(*, issue, when=None):
    """Send ``issue`` now or at ``when``: its delivery rows are made when it starts."""
    locked = Issue.objects.select_for_update().get(pk=issue.pk)
    if locked.status in (Issue.Status.SENDING, Issue.Status.SENT):
        return locked
    locked.status = Issue.Status.SCHEDULED if when else Issue.Status.SENDING
    locked.send_at = when or timezone.now()
    locked.save(update_fields=["status", "send_at"])
    if when:
        enqueue_at(when, send_issue, locked.pk)
    else:
        enqueue_on_commit(send_issue, locked.pk)
    return locked


def top_stories(language, now=None, limit=8, since=None):
    """The top stories of the last 24 hours (or since ``since``): the front page of
    ``language`` first (those published in that time), then the most read, without
    repeats."""
    now = now or timezone.now()
    since = since or now - timedelta(hours=24)
    recent = Article.objects.published().in_language(language).filter(published_at__gt=since)
    chosen = [story for story in front_page(recent, language) if story is not None]
    for story in recent.most_read(since, limit=limit):
        if story not in chosen:
            chosen.append(story)
    return chosen[:limit]


@transaction.atomic
def issue_prefill(*, issue, since=None):
    """Replace a draft's stories with the top stories of the last 24 hours (or since
    ``since``)."""
    if issue.status != Issue.Status.DRAFT:
        return 0
    issue.entries.all().delete()
    stories = top_stories(issue.newsletter.language, since=since)
    IssueStory.objects.bulk_create(
        IssueStory(issue=issue, article=story, position=index)
        for index, story in enumerate(stories)
    )
    return len(stories)


@transaction.atomic
def automatic_issue_send(*, newsletter, slot):
    """Assemble and send ``newsletter``'s issue of ``slot`` (a time it sends itself at):
    the top stories published since its last issue (and within one period). Returns the
    issue, or None when there is no new story or the slot has its issue already: the
    unique ``period`` makes a second run, or two at once, add none."""
    last = newsletter.issues.exclude(send_at=None).filter(send_at__lt=slot).order_by("-send_at")
    last_sent = last.values_list("send_at", flat=True).first()
    since = max(filter(None, [last_sent, slot - newsletter.period]))
    if not top_stories(newsletter.language, now=slot, since=since):
        return None
    with translation.override(newsletter.language):
        subject = _("%(name)s, %(date)s") % {
            "name": newsletter.name,
            "date": date_format(timezone.localtime(slot), "DATE_FORMAT"),
        }
    issue, created = Issue.objects.get_or_create(
        newsletter=newsletter, period=slot, defaults={"subject": subject}
    )
    if not created:
        return None
    issue_prefill(issue=issue, since=since)
    return issue_send(issue=issue)
