"""Reading counts: anonymous aggregates, never a record of a reader."""

from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext_lazy as _


class StoryViewCount(models.Model):
    """Anonymous reads of a story in one hour: an aggregate, never a record of a reader.

    Filled by the story page's beacon (``articles.views.beacon``), not by the page request,
    so cached pages are counted and reading a story writes nothing.
    """

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="view_counts")
    hour = models.DateTimeField(_("hour"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("story views in an hour")
        verbose_name_plural = _("story views")
        constraints = [
            models.UniqueConstraint(fields=["article", "hour"], name="storyviews_one_row_per_hour")
        ]
        indexes = [models.Index(fields=["hour", "article"], name="storyviews_recent")]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H:00}: {self.views}"

    @classmethod
    def count(cls, article_id, when):
        """Add one view to the article's row for the hour of ``when``, race-safely."""
        hour = when.replace(minute=0, second=0, microsecond=0)
        rows = cls.objects.filter(article_id=article_id, hour=hour)
        if rows.update(views=models.F("views") + 1):
            return
        try:
            with transaction.atomic():
                cls.objects.create(article_id=article_id, hour=hour, views=1)
        except IntegrityError:  # Another request created the row first.
            rows.update(views=models.F("views") + 1)
