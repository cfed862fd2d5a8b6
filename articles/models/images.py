"""The image library: one entry per picture, with alt text per language and a focal point."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.cache import CacheTagged
from core.tasks import enqueue_on_commit

from ..images import make_renditions, renditions_pending


class Image(CacheTagged, models.Model):
    file = models.ImageField(
        _("file"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    alt_text = models.CharField(
        _("alt text (English)"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Required before a "
            "story using it as its lead image can be published."
        ),
    )
    alt_text_ru = models.CharField(_("alt text (Russian)"), max_length=250, blank=True)
    alt_text_az = models.CharField(_("alt text (Azerbaijani)"), max_length=250, blank=True)
    caption = models.CharField(_("caption"), max_length=400, blank=True)
    credit = models.CharField(_("credit"), max_length=200, blank=True)
    focal_x = models.FloatField(
        _("focal point x"), default=0.5, help_text=_("0 is the left edge, 1 the right edge.")
    )
    focal_y = models.FloatField(
        _("focal point y"), default=0.5, help_text=_("0 is the top edge, 1 the bottom edge.")
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # Written by the worker only (articles.images.make_renditions): {"source": file name,
    # "focal": [x, y], "made": [[width, ratio, format], ...]}. Pages choose among these
    # files without asking the storage; {} (or another file's record) means none yet.
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_in_frame",
            ),
        ]

    def __str__(self):
        return self.title or self.file.name

    def save(self, *args, **kwargs):
        # Django's width_field/height_field miss files saved with FieldFile.save(save=False).
        if self.file and (not self.file._committed or not (self.width and self.height)):
            self.width, self.height = self.file.width, self.file.height
        super().save(*args, **kwargs)
        # A worker makes the renditions, so the editor does not wait for them; pages show
        # what was made before until it is done. A stale record written back by a save
        # that raced the worker enqueues another task, which finds the files and
        # records them again.
        if renditions_pending(self):
            enqueue_on_commit(make_renditions, self.pk, self.file.name)

    def alt_for(self, language):
        """Alt text in a story's language; English is the fallback for the admin's eyes
        only: a story cannot be published without alt text in its own language."""
        if language == "en":
            return self.alt_text
        return getattr(self, f"alt_text_{language}", "")

    def shown_tags(self):
        return (f"image:{self.pk}",)
