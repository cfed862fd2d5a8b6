"""Reader reviews, readers' reports on them and the moderators' decisions.

``Comment.objects.visible()`` is the one definition of what readers see. Status changes go
through the functions in ``comments/services.py``, which record a ``ModerationDecision``
and move the site's content version on, so cached pages show the change at once.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, Subquery, Window
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from articles.models import Article
from core.constraints import one_of

from .defences import Ban


def accepts_reviews(article):
    """Whether the story takes new reviews: not closed by the desk, and not too old.

    Stories close on their own ``COMMENTS_CLOSE_AFTER_DAYS`` after publication, so no job
    has to run to close them.
    """
    if article.comments_mode == Article.CommentsMode.CLOSED or not article.is_published:
        return False
    closes_at = article.published_at + timedelta(days=settings.COMMENTS_CLOSE_AFTER_DAYS)
    return timezone.now() < closes_at


class CommentStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    SPAM = "spam", _("Spam")


def _count(queryset, field):
    """A subquery counting the rows of ``queryset`` grouped by ``field`` (0 when none)."""
    return Coalesce(
        Subquery(queryset.order_by().values(field).annotate(n=Count("pk")).values("n")), 0
    )


def _count_by_email(status):
    """How many reviews with ``status`` the row's author (by email) has."""
    return _count(Comment.objects.filter(email=OuterRef("email"), status=status), "email")


class CommentQuerySet(models.QuerySet):
    def visible(self):
        """The one definition of what readers may see: approved reviews."""
        return self.filter(status=CommentStatus.APPROVED)

    def in_moderation(self):
        return self.filter(status=CommentStatus.PENDING)

    def reported(self):
        """Reviews with reports no moderator has acted on yet."""
        return self.filter(
            Exists(Report.objects.filter(comment=OuterRef("pk"), is_resolved=False))
        )

    def by_email(self, email):
        return self.filter(email__iexact=email)

    def for_moderation(self):
        """Each row with its story, the review it answers, its author's approved and
        rejected counts, whether they are banned and its open reports, in the same query:
        the queue shows them on every row without an N+1."""
        return self.select_related("article__section", "parent").annotate(
            author_approved=_count_by_email(CommentStatus.APPROVED),
            author_rejected=_count_by_email(CommentStatus.REJECTED),
            author_banned=Exists(Ban.objects.active().filter(email=OuterRef("email"))),
            open_reports=_count(
                Report.objects.filter(comment=OuterRef("pk"), is_resolved=False), "comment"
            ),
        )

    def for_story_page(self, article):
        """The story page's top-level reviews, oldest first, with their approved replies:
        slice it for one page, two queries whatever the number of reviews.

        Each row also carries ``top_level``, the number of top-level reviews (a window
        count, for the pagination), and ``total``, the number of approved reviews replies
        included (a subquery, for the heading); the second query fetches the page's replies.
        """
        visible = self.model.objects.visible()
        all_visible = (
            visible.filter(article=OuterRef("article"))
            .order_by()
            .values("article")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return (
            self.visible()
            .filter(article=article, parent=None)
            .annotate(top_level=Window(Count("pk")), total=Coalesce(Subquery(all_visible), 0))
            .prefetch_related(Prefetch("replies", queryset=visible.order_by("created_at", "pk")))
            .order_by("created_at", "pk")
        )

    def approved_counts(self, article_ids):
        """{article id: approved review count} for a page of stories, in one query."""
        rows = (
            self.visible()
            .filter(article_id__in=article_ids)
            .order_by()
            .values("article_id")
            .annotate(n=Count("pk"))
        )
        return {row["article_id"]: row["n"] for row in rows}


class Comment(models.Model):
    Status = CommentStatus

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="comments", verbose_name=_("story")
    )
    parent = models.ForeignKey(
        "self",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="replies",
        verbose_name=_("reply to"),
        help_text=_("Replies are one level deep: a reply to a reply answers its parent."),
    )
    author_name = models.CharField(_("name"), max_length=80)
    email = models.EmailField(
        _("email"), max_length=254, help_text=_("Never shown to anyone but moderators.")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("staff account"),
    )
    is_newsroom = models.BooleanField(
        _("newsroom reply"),
        default=False,
        help_text=_("Written by staff: readers see a “Newsroom” badge."),
    )
    body = models.TextField(_("text"), max_length=3000)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    held_reasons = models.JSONField(
        _("reasons"),
        default=list,
        blank=True,
        help_text=_("Why the pipeline held or rejected the review, for moderators."),
    )
    ip_hash = models.CharField(
        _("IP hash"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("A keyed hash of the address, never the address; purged after 30 days."),
    )
    created_at = models.DateTimeField(_("posted"), default=timezone.now)
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True, editable=False)

    objects = CommentQuerySet.as_manager()

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        permissions = [("moderate_comment", _("Can moderate reviews"))]
        constraints = [
            one_of("status", CommentStatus.values, "comment_status_valid"),
            models.CheckConstraint(
                condition=~Q(parent=models.F("pk")), name="comment_not_own_parent"
            ),
        ]
        indexes = [
            models.Index(
                fields=["article", "status", "created_at"], name="comment_article_status"
            ),
            models.Index(fields=["status", "-created_at"], name="comment_queue"),
            models.Index(fields=["email", "status"], name="comment_author_history"),
            # The moderation changelist unfiltered: newest first, 50 at a time, without
            # sorting every review (docs/performance.md).
            models.Index(fields=["-created_at", "-id"], name="comment_newest"),
            # The editors' moderation waiting-time chart: the last 30 days of decisions
            # (comments/stats.py), with the posting time in the index so no row is read.
            models.Index(fields=["moderated_at", "created_at"], name="comment_moderated"),
        ]

    def __str__(self):
        return f"{self.author_name}: {self.body[:60]}"

    def get_absolute_url(self):
        return f"{self.article.get_absolute_url()}#review-{self.pk}"

    def get_report_url(self):
        return reverse("comments:report", kwargs={"comment_id": self.pk})

    @property
    def masked_email(self):
        """The address as staff without the moderation permission see it ("n…@example.com"):
        enough to tell two authors apart, never enough to write to them."""
        local, _at, domain = self.email.partition("@")
        return f"{local[:1]}…@{domain}" if domain else "…"


class ReportReason(models.TextChoices):
    SPAM = "spam", _("Spam")
    ABUSE = "abuse", _("Abuse or harassment")
    OFF_TOPIC = "off_topic", _("Off-topic")
    ILLEGAL = "illegal", _("Illegal content")
    OTHER = "other", _("Other")


class Report(models.Model):
    Reason = ReportReason

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="reports", verbose_name=_("review")
    )
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    reporter_hash = models.CharField(
        _("reporter"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("A keyed hash of the reader's address: one report per reader per review."),
    )
    is_resolved = models.BooleanField(
        _("resolved"), default=False, help_text=_("A moderator has decided on the review since.")
    )
    created_at = models.DateTimeField(_("reported"), default=timezone.now)
    alert_sent_at = models.DateTimeField(
        _("alert sent"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("When moderators were emailed about this illegal-content report: once."),
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        constraints = [
            models.UniqueConstraint(
                fields=["comment", "reporter_hash"],
                condition=~Q(reporter_hash=""),
                name="report_once_per_reader",
            ),
            one_of("reason", ReportReason.values, "report_reason_valid"),
        ]

    def __str__(self):
        return f"{self.get_reason_display()}: #{self.comment_id}"


class ModerationDecision(models.Model):
    """The audit trail: append-only, and it outlives the moderator's account."""

    comment = models.ForeignKey(
        Comment, on_delete=models.CASCADE, related_name="decisions", verbose_name=_("review")
    )
    moderator = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("moderator"),
    )
    moderator_username = models.CharField(
        _("moderator's username"),
        max_length=150,
        blank=True,
        help_text=_("Kept when the account is deleted. Empty: the automatic pipeline."),
    )
    from_status = models.CharField(_("from"), max_length=10, choices=CommentStatus)
    to_status = models.CharField(_("to"), max_length=10, choices=CommentStatus)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("moderation decision")
        verbose_name_plural = _("moderation decisions")
        indexes = [models.Index(fields=["comment", "-created_at"], name="decision_comment")]

    def __str__(self):
        who = self.moderator_username or _("pipeline")
        return f"{who}: {self.from_status} → {self.to_status}"
