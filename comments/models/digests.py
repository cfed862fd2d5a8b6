"""The moderators' daily digest: one row per slot, the time it goes out.

The rows are what keeps the planned digest (``comments/tasks.py``) right without a cron: a
slot's row is claimed before its email goes, so it goes once, and the next slot is planned
by creating its row, so two copies of the chain (a duplicate, a re-plan) collapse into one.
Imports no sibling.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ModerationDigest(models.Model):
    slot = models.DateTimeField(
        _("slot"),
        unique=True,
        help_text=_("When it goes out: MODERATION_DIGEST_HOUR o'clock in the site's time zone."),
    )
    sent_at = models.DateTimeField(
        _("sent"),
        null=True,
        blank=True,
        help_text=_("When the slot's digest went out (or found the queue empty)."),
    )

    class Meta:
        ordering = ["-slot"]
        verbose_name = _("moderation digest")
        verbose_name_plural = _("moderation digests")

    def __str__(self):
        return f"{timezone.localtime(self.slot):%Y-%m-%d %H:%M}"

    @staticmethod
    def slot_after(moment):
        """The first slot after ``moment``: ``MODERATION_DIGEST_HOUR`` o'clock on that day
        or the next one, on the site's clock (``TIME_ZONE``, whatever a request activated)."""
        zone = timezone.get_default_timezone()
        day = timezone.localtime(moment, zone).date()
        hour = time(settings.MODERATION_DIGEST_HOUR)
        slot = datetime.combine(day, hour, tzinfo=zone)
        return slot if slot > moment else datetime.combine(day + timedelta(days=1), hour, zone)
