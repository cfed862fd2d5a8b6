"""Preview links: a draft shared with someone outside the admin, one story in one language.

A link is a row, so an editor sees who shared what and can revoke it; the address carries
the row's id signed with the site's secret key (``articles.preview``). A link ends for good
when the story goes live: it answers nothing while readers can see the story, and nothing
after the story leaves publication again (an unpublished story's old links do not come
back; the editor shares a new one).
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .visibility import published_q
from .workflow import StatusChange, WorkflowState

PREVIEW_MAX_AGE = timedelta(days=3)


class PreviewLinkQuerySet(models.QuerySet):
    def usable(self):
        """Links that still open their story: not revoked, not expired, and the story
        neither live now nor live at any moment since the link was made (a step out of
        "published" in its history says it was)."""
        went_live_since = StatusChange.objects.filter(
            article=OuterRef("article"),
            from_state=WorkflowState.PUBLISHED,
            created_at__gte=OuterRef("created_at"),
        )
        return self.filter(
            ~published_q("article__"),
            ~Exists(went_live_since),
            revoked_at__isnull=True,
            created_at__gt=timezone.now() - PREVIEW_MAX_AGE,
        )


class PreviewLink(models.Model):
    article = models.ForeignKey(
        "Article",
        on_delete=models.CASCADE,
        related_name="preview_links",
        verbose_name=_("story"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("shared by"),
    )
    created_at = models.DateTimeField(_("shared"), default=timezone.now)
    revoked_at = models.DateTimeField(
        _("revoked"), null=True, blank=True, help_text=_("The link opens nothing from then on.")
    )

    objects = PreviewLinkQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("preview link")
        verbose_name_plural = _("preview links")
        indexes = [
            # The change form lists a story's links; the preview page opens one by id.
            models.Index(
                fields=["article", "-created_at"],
                condition=Q(revoked_at__isnull=True),
                name="previewlink_open_per_story",
            ),
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def expires_at(self):
        return self.created_at + PREVIEW_MAX_AGE
