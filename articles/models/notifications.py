"""The desk's notifications: a workflow step told to the people it concerns (a story
submitted, to every editor; returned, to its author; published or scheduled, to its author
and bylined staff), and each user's choice of whether they also come by email.

A notification stores what happened (its kind, the story, who did it, the editor's note
for a return), never the story's text, and is worded when it is shown, in the reader's
language. Writing them is ``articles.notifications.notifications_for_step``.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.constraints import one_of


class NotificationKind(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted for review")
    RETURNED = "returned", _("Returned to the author")
    PUBLISHED = "published", _("Published")
    SCHEDULED = "scheduled", _("Scheduled")


class NotificationQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(recipient=user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Notification(models.Model):
    Kind = NotificationKind

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notifications",
        verbose_name=_("recipient"),
    )
    article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="+", verbose_name=_("story")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=NotificationKind)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    note = models.TextField(_("note"), blank=True)
    # The publication time a "scheduled" notification announces.
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)
    # Set by the email task once sent: a retry or a second worker sends nothing twice.
    emailed_at = models.DateTimeField(_("emailed"), null=True, blank=True, editable=False)

    objects = NotificationQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("my notifications")
        constraints = [one_of("kind", NotificationKind.values, "notification_kind_valid")]
        indexes = [
            # The header's unread count and the dashboard's list, on every admin page.
            models.Index(fields=["recipient", "read_at"], name="notification_unread"),
        ]

    def __str__(self):
        return self.message()

    def message(self):
        """One sentence saying what happened, without the story's text."""
        actor = (self.actor.get_full_name() or self.actor.get_username()) if self.actor else "—"
        words = {"actor": actor, "story": self.article.headline}
        if self.kind == self.Kind.SUBMITTED:
            return _("%(actor)s submitted “%(story)s” for review.") % words
        if self.kind == self.Kind.RETURNED:
            return _("%(actor)s returned “%(story)s” to you.") % words
        if self.kind == self.Kind.SCHEDULED:
            when = date_format(timezone.localtime(self.published_at), "DATETIME_FORMAT")
            return _("%(actor)s scheduled “%(story)s” for %(time)s.") % {**words, "time": when}
        return _("%(actor)s published “%(story)s”.") % words


class NotificationPreference(models.Model):
    """A user's own choice about notifications; no row means the defaults."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="notification_preference",
        verbose_name=_("user"),
    )
    email = models.BooleanField(
        _("also by email"),
        default=True,
        help_text=_("Notifications are always shown in the admin; this sends them by email too."),
    )

    class Meta:
        verbose_name = _("notification preference")
        verbose_name_plural = _("notification preferences")

    def __str__(self):
        return str(self.user)

    @classmethod
    def wants_email(cls, user):
        row = cls.objects.filter(user=user).first()
        return row.email if row else True
