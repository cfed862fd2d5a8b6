"""Reading counts: anonymous aggregates, never a record of a reader."""

from django.db import IntegrityError, models, transaction
from django.db.models.functions import TruncDate
from django.utils import timezone
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
        # The dashboard's last 48 hours and this hour against yesterday's, read from the
        # index alone (the views are in it).
        indexes = [
            models.Index(fields=["hour", "article"], include=["views"], name="storyviews_recent")
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.hour:%Y-%m-%d %H:00}: {self.views}"

    @classmethod
    def count(cls, article_id, when, views=1):
        """Add ``views`` to the article's row for the hour of ``when`` and to its day's
        (``StoryViewDay``), race-safely."""
        hour = when.replace(minute=0, second=0, microsecond=0)
        with transaction.atomic():
            _add(cls.objects, views, article_id=article_id, hour=hour)
            _add(StoryViewDay.objects, views, article_id=article_id, day=newsroom_day(hour))


class StoryViewDay(models.Model):
    """Anonymous reads of a story in one of the newsroom's days (``TIME_ZONE``): the
    hourly counts rolled up as they are written (``StoryViewCount.count``), so charts over
    weeks read one row per story and day instead of 24."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="view_days")
    day = models.DateField(_("day"))
    views = models.PositiveIntegerField(_("views"), default=0)

    class Meta:
        verbose_name = _("story views in a day")
        verbose_name_plural = _("story views per day")
        constraints = [
            models.UniqueConstraint(fields=["article", "day"], name="storyviewday_one_row_per_day")
        ]
        # The dashboard's 30 days: a range of days, read from the index alone.
        indexes = [
            models.Index(fields=["day"], include=["article", "views"], name="storyviewday_recent")
        ]

    def __str__(self):
        return f"{self.article_id} @ {self.day:%Y-%m-%d}: {self.views}"

    @classmethod
    @transaction.atomic
    def rebuild(cls):
        """Roll every hourly count up afresh, for hourly rows written in bulk past
        ``StoryViewCount.count`` (``manage.py bench_insights --seed``)."""
        cls.objects.all().delete()
        rows = (
            StoryViewCount.objects.annotate(
                day=TruncDate("hour", tzinfo=timezone.get_default_timezone())
            )
            .values("article_id", "day")
            .annotate(n=models.Sum("views"))
            .values_list("article_id", "day", "n")
            .order_by()
        )
        cls.objects.bulk_create(
            (cls(article_id=article_id, day=day, views=n) for article_id, day, n in rows),
            batch_size=5000,
        )


def newsroom_day(moment):
    """The newsroom's date (``settings.TIME_ZONE``) at ``moment``, whoever is asking."""
    return timezone.localtime(moment, timezone.get_default_timezone()).date()


def _add(manager, views, **row):
    rows = manager.filter(**row)
    if rows.update(views=models.F("views") + views):
        return
    try:
        with transaction.atomic():
            manager.create(**row, views=views)
    except IntegrityError:  # Another request created the row first.
        rows.update(views=models.F("views") + views)
