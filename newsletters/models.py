"""Newsletters, their subscribers, the issues editors send and one delivery row per
subscriber and issue.

A subscriber is one address on one newsletter (a newsletter speaks one language). Only a
confirmed subscriber is mailed (double opt-in); an unsubscribed one keeps its row, so the
address is never mailed again by that newsletter, until erased on request.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from core.cache import CacheTagged
from core.constraints import one_of


class Cadence(models.TextChoices):
    NONE = "none", _("only when an editor sends one")
    DAILY = "daily", _("every day")
    WEEKLY = "weekly", _("every week")


class Weekday(models.IntegerChoices):
    # Python's numbering (date.weekday()): Monday is 0.
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class Newsletter(CacheTagged, models.Model):
    Cadence = Cadence
    Weekday = Weekday

    # Every page's footer shows the open newsletters: a change must reach cached pages.
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=80)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    tagline = models.CharField(
        _("invitation"), max_length=160, blank=True, help_text=_("Shown above the form.")
    )
    is_active = models.BooleanField(_("open for subscriptions"), default=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    cadence = models.CharField(
        _("sends itself"),
        max_length=8,
        choices=Cadence,
        default=Cadence.NONE,
        help_text=_(
            "Daily or weekly, an issue of the top stories since the last issue is assembled "
            "and sent at the time below; none is sent when there is no new story."
        ),
    )
    send_time = models.TimeField(
        _("send time"),
        default=time(7),
        help_text=_("On the site's clock (TIME_ZONE)."),
    )
    weekday = models.PositiveSmallIntegerField(
        _("weekday"),
        choices=Weekday,
        default=Weekday.MONDAY,
        help_text=_("The day a weekly issue goes out."),
    )
    count_opens = models.BooleanField(
        _("count opens"),
        default=False,
        help_text=_(
            "Adds an invisible image to each issue, so the issue list counts how many "
            "subscribers opened it (a total per issue). Off: issues carry no tracking, as "
            "the privacy page says."
        ),
    )

    class Meta:
        ordering = ["language", "position", "name"]
        verbose_name = _("newsletter")
        verbose_name_plural = _("newsletters")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "slug"], name="newsletter_slug_per_language"
            ),
            one_of("cadence", Cadence.values, "newsletter_cadence_known"),
            models.CheckConstraint(
                condition=Q(weekday__gte=0, weekday__lte=6), name="newsletter_weekday_known"
            ),
        ]

    def __str__(self):
        return f"{self.name} ({self.language})"

    def shown_tags(self):
        return ("newsletters",)

    @property
    def period(self):
        """How far apart its automatic issues are, or None when it sends none itself."""
        return {Cadence.DAILY: timedelta(days=1), Cadence.WEEKLY: timedelta(days=7)}.get(
            self.cadence
        )

    def slot_after(self, moment):
        """The first automatic issue's time after ``moment`` (None without a cadence): the
        send time on the site's clock, that day or the next (daily), or on the weekday."""
        if self.period is None:
            return None
        zone = timezone.get_default_timezone()
        day = timezone.localtime(moment, zone).date()
        if self.cadence == Cadence.WEEKLY:
            day += timedelta(days=(self.weekday - day.weekday()) % 7)
        slot = datetime.combine(day, self.send_time, tzinfo=zone)
        if slot <= moment:
            slot = datetime.combine(day + self.period, self.send_time, tzinfo=zone)
        return slot

    def is_slot(self, moment):
        """Whether ``moment`` is still one of its slots (the schedule may have changed)."""
        return self.period is not None and self.slot_after(moment - timedelta(seconds=1)) == moment


class SubscriberQuerySet(models.QuerySet):
    def mailable(self):
        return self.filter(status=SubscriberStatus.CONFIRMED)


class SubscriberStatus(models.TextChoices):
    PENDING = "pending", _("waiting for confirmation")
    CONFIRMED = "confirmed", _("confirmed")
    UNSUBSCRIBED = "unsubscribed", _("unsubscribed")
    # The mail provider said the address does not exist (a hard bounce): never mailed again.
    BOUNCED = "bounced", _("bounced")


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
    # The slot an automatic issue was assembled for: one issue per newsletter and slot,
    # however many copies of the task run.
    period = models.DateTimeField(_("automatic issue of"), null=True, blank=True, editable=False)
    # Subscribers who opened it, counted only while its newsletter counts opens.
    opens = models.PositiveIntegerField(_("opens"), default=0, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("issue")
        verbose_name_plural = _("issues")
        permissions = [("send_issue", _("Can send an issue to its subscribers"))]
        constraints = [
            one_of("status", IssueStatus.values, "issue_status_known"),
            models.UniqueConstraint(
                fields=["newsletter", "period"],
                condition=Q(period__isnull=False),
                name="issue_once_per_period",
            ),
        ]

    def __str__(self):
        return self.subject

    def ordered_stories(self):
        return (
            Article.objects.published()
            .filter(issue_entries__issue=self)
            .select_related("section", "lead_image")
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
    # Only so an open counts once per subscriber in ``Issue.opens`` (no time, no place).
    opened = models.BooleanField(default=False)

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


class BounceKind(models.TextChoices):
    HARD = "hard", _("hard: the address does not exist")
    SOFT = "soft", _("soft: a full mailbox or a server down, for now")


class Bounce(models.Model):
    """A mail the provider could not deliver, as its webhook told us (views.bounces). A
    hard bounce unsubscribes the address from every newsletter (status bounced)."""

    Kind = BounceKind

    email = models.EmailField(_("email"))
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    description = models.CharField(_("provider's reason"), max_length=500, blank=True)
    received_at = models.DateTimeField(_("received"), default=timezone.now)

    class Meta:
        ordering = ["-received_at"]
        verbose_name = _("bounce")
        verbose_name_plural = _("bounces")
        constraints = [one_of("kind", BounceKind.values, "bounce_kind_known")]
        indexes = [models.Index(fields=["email"], name="bounce_email")]

    def __str__(self):
        return f"{self.email} ({self.kind})"
