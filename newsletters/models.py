"""Newsletters, their subscribers, the issues editors send and one delivery row per
subscriber and issue.

A subscriber is one address on one newsletter (a newsletter speaks one language). Only a
confirmed subscriber is mailed (double opt-in); an unsubscribed one keeps its row, so the
address is never mailed again by that newsletter, until erased on request.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from core.cache import CacheTagged
from core.constraints import one_of


class Newsletter(CacheTagged, models.Model):
    # Every page's footer shows the open newsletters: a change must reach cached pages.
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    tagline = models.CharField(
        _("invitation"), max_length=160, blank=True, help_text=_("Shown above the form.")
    )
    is_active = models.BooleanField(_("open for subscriptions"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["language", "position", "name"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="newsletter_slug_per_language"
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def shown_tags(self):
        return ("newsletters",)


class SubscriberQuerySet(models.QuerySet):
    def mailable(self):
        return self.filter(status=SubscriberStatus.CONFIRMED)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")


class Subscriber(models.Model):
    Status = SubscriberStatus

    newsletter = models.ForeignKey(
        Newsletter,
        on_delete=models.CASCADE,
        related_name="subscribers",
        verbose_name=_("newsletter"),
    )
    email = models.EmailField(_("email"))
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.PENDING
    )
    # The keyed hash of the address that asked (core.readers), never the address.
    ip_hash = models.CharField(max_length=64, blank=True, editable=False)
    created_at = models.DateTimeField(_("asked"), default=timezone.now)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    unsubscribed_at = models.DateTimeField(_("unsubscribed"), null=True, blank=True)

    objects = SubscriberQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("subscriber")
        verbose_name_plural = _("subscribers")
        constraints = [
            models.UniqueConstraint(fields=["newsletter", "email"], name="subscriber_once"),
            one_of("status", SubscriberStatus.values, "subscriber_status_known"),
        ]
        indexes = [models.Index(fields=["newsletter", "status"], name="subscriber_status")]

    def __str__(self):
        return self.email


class IssueStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    SCHEDULED = "scheduled", _("scheduled")
    SENDING = "sending", _("sending")
    SENT = "sent", _("sent")


class Issue(models.Model):
    Status = IssueStatus

    newsletter = models.ForeignKey(
        Newsletter, on_delete=models.PROTECT, related_name="issues", verbose_name=_("newsletter")
    )
    subject = models.CharField(_("subject"), max_length=200)
    intro = models.TextField(_("introduction"), blank=True)
    stories = models.ManyToManyField(
        Article, through="IssueStory", blank=True, verbose_name=_("stories")
    )
    status = models.CharField(
        _("status"), max_length=16, choices=Status.choices, default=Status.DRAFT
    )
    send_at = models.DateTimeField(_("send at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        permissions = [("send_issue", _("Can send an issue to its subscribers"))]
        constraints = [one_of("status", IssueStatus.values, "issue_status_known")]

    def __str__(self):
        return self.subject

    def ordered_stories(self):
        return (
            Article.objects.published()
            .filter(issue_entries__issue=self)
            .select_related("section")
            .order_by("issue_entries__position")
        )


class IssueStory(models.Model):
    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="entries")
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="issue_entries", verbose_name=_("story")
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position"]
        verbose_name = _("story")
        verbose_name_plural = _("stories")
        constraints = [
            models.UniqueConstraint(fields=["issue", "article"], name="issue_story_once")
        ]

    def __str__(self):
        return f"{self.issue_id}: {self.article_id}"


class DeliveryStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    SENT = "sent", _("sent")
    FAILED = "failed", _("failed")
    SKIPPED = "skipped", _("skipped")


class Delivery(models.Model):
    """One issue to one subscriber. ``claimed_at`` is stamped before the mail goes out
    (core.tasks.claimed), so a resumed send skips it: at most once, never twice."""

    Status = DeliveryStatus

    issue = models.ForeignKey(Issue, on_delete=models.CASCADE, related_name="deliveries")
    subscriber = models.ForeignKey(Subscriber, on_delete=models.CASCADE, related_name="deliveries")
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("delivery")
        verbose_name_plural = _("deliveries")
        constraints = [
            models.UniqueConstraint(fields=["issue", "subscriber"], name="delivery_once"),
            one_of("status", DeliveryStatus.values, "delivery_status_known"),
        ]
        indexes = [models.Index(fields=["issue", "status"], name="delivery_status")]

    def __str__(self):
        return f"{self.issue_id} → {self.subscriber_id}: {self.status}"
