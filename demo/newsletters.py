"""The demo newsletters: a morning briefing in each language, with a few fictional
subscribers and one issue already sent to them, for an editor to look at in the admin
(the issue, its stories, its delivery counts) before composing the next.

Content: ``demo/data/newsletters.json``. Loaded by ``load_demo`` after the stories.
Idempotent, and it never touches an editor's newsletters: a newsletter is made (with its
subscribers, issue and deliveries) only where its language has none of that slug; one
that exists, the demo's own from an earlier run or an editor's, is left as it is. No mail
is sent: the issue is recorded as sent, as a worker would have left it.
"""

from datetime import timedelta

from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.models import Article
from newsletters.models import Delivery, Issue, IssueStory, Newsletter, Subscriber

from . import content
from .stories import demo_translation_groups

STORIES_PER_ISSUE = 5


def load_demo_newsletters(now=None):
    """Returns the number of rows created (0 on a second run)."""
    now = now or timezone.now()
    created = 0
    for position, row in enumerate(content.read("newsletters")["newsletters"]):
        newsletter, new = Newsletter.objects.get_or_create(
            language=row["language"],
            slug=row["slug"],
            defaults={"name": row["name"], "tagline": row["tagline"], "position": position},
        )
        if new:
            created += 1 + _load_sent_issue(newsletter, row, now)
    return created


def _load_sent_issue(newsletter, row, now):
    sent_at = now - timedelta(hours=2)
    subscribers = Subscriber.objects.bulk_create(
        Subscriber(
            newsletter=newsletter,
            email=email,
            status=Subscriber.Status.CONFIRMED,
            created_at=sent_at - timedelta(days=3),
            confirmed_at=sent_at - timedelta(days=3, minutes=-5),
        )
        for email in row["subscribers"]
    )
    with translation.override(newsletter.language):
        date = date_format(timezone.localtime(sent_at), "DATE_FORMAT")
        subject = _("%(name)s, %(date)s") % {"name": newsletter.name, "date": date}
    issue = Issue.objects.create(
        newsletter=newsletter,
        subject=subject,
        intro=row["intro"],
        status=Issue.Status.SENT,
        created_at=sent_at - timedelta(minutes=30),
        send_at=sent_at,
        sent_at=sent_at + timedelta(minutes=1),
    )
    stories = (
        Article.objects.published()
        .in_language(newsletter.language)
        .filter(translation_group__in=demo_translation_groups(), published_at__lte=sent_at)
        .order_by("-published_at")[:STORIES_PER_ISSUE]
    )
    entries = IssueStory.objects.bulk_create(
        IssueStory(issue=issue, article=story, position=n) for n, story in enumerate(stories)
    )
    deliveries = Delivery.objects.bulk_create(
        Delivery(issue=issue, subscriber=subscriber, status=Delivery.Status.SENT,
                 claimed_at=sent_at, sent_at=sent_at)
        for subscriber in subscribers
    )  # fmt: skip
    return len(subscribers) + 1 + len(entries) + len(deliveries)
