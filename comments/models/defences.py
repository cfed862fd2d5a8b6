"""The spam defences' models: bans, blocked terms and the bots' tally (the pipeline in
``comments/pipeline.py`` reads them). They point at no review, so they import no sibling."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.constraints import one_of
from core.text import strip_control_characters


class BanQuerySet(models.QuerySet):
    def active(self):
        return self.filter(Q(until__isnull=True) | Q(until__gt=timezone.now()))

    def matching(self, *, email, ip_hash):
        match = Q(email__iexact=email) & ~Q(email="")
        if ip_hash:
            match |= Q(ip_hash=ip_hash)
        return self.active().filter(match)


class Ban(models.Model):
    email = models.EmailField(_("email"), blank=True)
    ip_hash = models.CharField(
        _("IP hash"),
        max_length=64,
        blank=True,
        help_text=_("Copied from a review by the “Ban author” action; never a raw address."),
    )
    until = models.DateTimeField(
        _("until"), null=True, blank=True, help_text=_("Empty: the ban never ends.")
    )
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    objects = BanQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("ban")
        verbose_name_plural = _("bans")
        constraints = [
            models.CheckConstraint(
                condition=~Q(email="") | ~Q(ip_hash=""),
                name="ban_email_or_ip",
                violation_error_message=_("Ban an email address, an IP hash or both."),
            ),
        ]
        indexes = [models.Index(fields=["email"], name="ban_email")]

    def __str__(self):
        return self.email or _("IP %(hash)s…") % {"hash": self.ip_hash[:12]}


class BlockedTermAction(models.TextChoices):
    HOLD = "hold", _("Hold for a moderator")
    REJECT = "reject", _("Reject")


class BlockedTerm(models.Model):
    Action = BlockedTermAction

    term = models.CharField(
        _("term"),
        max_length=100,
        help_text=_("Matched on whole words, ignoring case: “ass” does not match “class”."),
    )
    language = models.CharField(
        _("language"),
        max_length=5,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Empty: every language."),
    )
    action = models.CharField(
        _("action"), max_length=6, choices=Action.choices, default=Action.HOLD
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        ordering = ["language", "term"]
        verbose_name = _("blocked term")
        verbose_name_plural = _("blocked terms")
        constraints = [
            models.UniqueConstraint(fields=["language", "term"], name="blockedterm_unique"),
            one_of("action", BlockedTermAction.values, "blockedterm_action_valid"),
        ]

    def __str__(self):
        return self.term

    def save(self, *args, **kwargs):
        self.term = self.normalised(self.term)
        super().save(*args, **kwargs)

    def clean(self):
        # Before the unique check: "SPAM" is the "spam" already listed, which the form says,
        # rather than the database refusing the save (a 500).
        self.term = self.normalised(self.term)

    @staticmethod
    def normalised(term):
        """Terms are matched ignoring case and stored casefolded, without control
        characters (which every save drops anyway, core/text.py)."""
        return strip_control_characters(term or "").strip().casefold()


class DiscardReason(models.TextChoices):
    HONEYPOT = "honeypot", _("Hidden field filled in")
    TOO_FAST = "too_fast", _("Sent too fast after the page loaded")
    TOO_OLD = "too_old", _("Form older than a day")
    BAD_TOKEN = "bad_token", _("Missing or forged form token")


class DiscardedSubmissionQuerySet(models.QuerySet):
    def count_one(self, reason):
        """Add one to today's tally for ``reason`` (atomic, safe under concurrency)."""
        tally, created = self.get_or_create(day=timezone.localdate(), reason=reason)
        if not created:
            self.filter(pk=tally.pk).update(count=models.F("count") + 1)


class DiscardedSubmission(models.Model):
    """How many submissions the bot traps threw away, per day and reason.

    The bots are told their review was received, so this tally is the only place the
    newsroom sees them. It holds no reader data.
    """

    Reason = DiscardReason

    day = models.DateField(_("day"))
    reason = models.CharField(_("reason"), max_length=10, choices=Reason.choices)
    count = models.PositiveIntegerField(_("submissions"), default=1)

    objects = DiscardedSubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-day", "reason"]
        verbose_name = _("discarded submission")
        verbose_name_plural = _("discarded submissions (bots)")
        constraints = [
            models.UniqueConstraint(fields=["day", "reason"], name="discarded_per_day_reason"),
            one_of("reason", DiscardReason.values, "discarded_reason_valid"),
        ]

    def __str__(self):
        return f"{self.day}: {self.get_reason_display()} × {self.count}"
