"""Reject reasons: the short list a moderator picks from with one click (issue 18).

Editors maintain the list in the admin; a decision stores the reason's words, not a link
to the row, so renaming or removing a reason never rewrites the audit trail.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class RejectReasonQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class RejectReason(models.Model):
    label = models.CharField(
        _("reason"),
        max_length=100,
        unique=True,
        help_text=_("A few words, shown on the reject button's menu and kept in the history."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("offered"), default=True, help_text=_("Unticked: no longer offered to moderators.")
    )

    objects = RejectReasonQuerySet.as_manager()

    class Meta:
        app_label = "comments"
        ordering = ["position", "label"]
        verbose_name = _("reject reason")
        verbose_name_plural = _("reject reasons")

    def __str__(self):
        return self.label
