"""Review volume and moderation waiting time per day, for the editors' charts (issue 23).

Registered with ``core.charts`` in ``CommentsConfig.ready()``: the insights app shows
every registered chart and cannot import this app (they share a floor).
"""

import math
from datetime import datetime, time, timedelta

from django.db import connection
from django.db.models import Aggregate, Count, F, FloatField
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


class NearestRank(Aggregate):
    """PostgreSQL's nearest-rank percentile of the seconds between two times."""

    function = "percentile_disc"
    template = (
        "%(function)s(%(share)s) WITHIN GROUP (ORDER BY EXTRACT(EPOCH FROM %(expressions)s))"
    )
    output_field = FloatField()

    def __init__(self, expression, share):
        super().__init__(expression)
        self.extra["share"] = float(share)


def _waits_per_day(days):
    """``{day: (median, p90)}`` in minutes, by the day of the decision (one query)."""
    zone = timezone.get_current_timezone()
    decided = Comment.objects.filter(moderated_at__gte=_start(days[0]))
    if connection.vendor == "postgresql":
        wait = F("moderated_at") - F("created_at")
        rows = (
            decided.annotate(day=TruncDate("moderated_at", tzinfo=zone))
            .values("day")
            .annotate(median=NearestRank(wait, 0.5), p90=NearestRank(wait, 0.9))
            .values_list("day", "median", "p90")
        )
        return {day: (max(m, 0) / 60, max(p, 0) / 60) for day, m, p in rows}
    # SQLite has no percentile: the decisions' times are read and ranked here.
    waits = {}
    for posted, moderated in decided.values_list("created_at", "moderated_at").iterator():
        waits.setdefault(timezone.localdate(moderated), []).append(
            max((moderated - posted).total_seconds() / 60, 0)
        )
    return {
        day: (percentile(sorted(m), 0.5), percentile(sorted(m), 0.9)) for day, m in waits.items()
    }


def moderation_wait(now=None):
    """Minutes from posting to a moderator's decision, median and 90th percentile, per day
    of the decision, last 30 days."""
    days = _days(now or timezone.now())
    waits = _waits_per_day(days)
    rows = [(date_format(day, "j M"), *(round(m) for m in waits.get(day, (0, 0)))) for day in days]
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
