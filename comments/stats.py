"""Review volume and moderation waiting time per day, for the editors' charts (issue 23).

Registered with ``core.charts`` in ``CommentsConfig.ready()``: the insights app shows
every registered chart and cannot import this app (they share a floor).
"""

import math
from datetime import datetime, time, timedelta

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.charts import Chart

from .models import Comment

DAYS = 30


def percentile(sorted_values, share):
    """The nearest-rank percentile of an ascending list (``share`` 0.5 is the median)."""
    if not sorted_values:
        return 0
    return sorted_values[max(math.ceil(share * len(sorted_values)) - 1, 0)]


def _days(now):
    today = timezone.localdate(now)
    return [today - timedelta(days=i) for i in range(DAYS - 1, -1, -1)]


def _start(day):
    """The first moment of ``day`` in the newsroom's zone: a range the index serves."""
    return timezone.make_aware(datetime.combine(day, time.min))


def review_volume(now=None):
    """Reviews posted per day, last 30 days (one query)."""
    days = _days(now or timezone.now())
    found = dict(
        Comment.objects.filter(created_at__gte=_start(days[0]))
        .annotate(day=TruncDate("created_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .values_list("day", "n")
    )
    rows = [(date_format(d, "j M"), found.get(d, 0)) for d in days]
    return Chart(
        "reviews-daily",
        _("Reviews posted per day, last 30 days"),
        _("%(total)s reviews in 30 days.") % {"total": sum(r[1] for r in rows)},
        _("reviews"),
        rows,
        (_("Day"), _("Reviews")),
    )


def moderation_wait(now=None):
    """Minutes from posting to a moderator's decision, median and 90th percentile, per day
    of the decision, last 30 days (one query)."""
    days = _days(now or timezone.now())
    waits = {day: [] for day in days}
    decided = Comment.objects.filter(moderated_at__gte=_start(days[0])).values_list(
        "created_at", "moderated_at"
    )
    for posted, moderated in decided.iterator():
        day = timezone.localdate(moderated)
        if day in waits:
            waits[day].append(max((moderated - posted).total_seconds() / 60, 0))
    rows = []
    for day in days:
        minutes = sorted(waits[day])
        rows.append(
            (
                date_format(day, "j M"),
                round(percentile(minutes, 0.5)),
                round(percentile(minutes, 0.9)),
            )
        )
    slowest = max(rows, key=lambda row: row[2])
    return Chart(
        "moderation-wait",
        _("Moderation waiting time per day (median; table: median and 90th percentile)"),
        _(
            "Minutes from posting to decision. The slowest day, %(day)s: "
            "90%% decided within %(p90)s minutes."
        )
        % {"day": slowest[0], "p90": slowest[2]},
        _("min"),
        rows,
        (_("Day"), _("Median (minutes)"), _("90th percentile (minutes)")),
    )


def review_charts(user, article=None):
    if article is not None or not user.has_perm("comments.view_comment"):
        return []
    return [review_volume(), moderation_wait()]
