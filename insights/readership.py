"""What readers read, from the hourly read counts only (``StoryViewCount``), never per read.

Each chart is at most one aggregate query over the ``(hour, article)`` index, whatever the number
of stories or the length of the history: the dashboard's query count is fixed.
"""

from collections import Counter
from datetime import datetime, time, timedelta

from django.conf import settings
from django.db.models import F, Q, Sum
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.models import StoryViewCount
from core.charts import Chart

HOURS, DAYS, TOP = 48, 30, 10


def this_hour(now=None):
    return (now or timezone.now()).replace(minute=0, second=0, microsecond=0)


def _local(hour, fmt):
    return date_format(timezone.localtime(hour), fmt)


def hourly(counts, now):
    """Reads per hour for the last 48 hours, the current hour last, empty hours as 0."""
    start = this_hour(now) - timedelta(hours=HOURS - 1)
    found = dict(
        counts.filter(hour__gte=start)
        .values("hour")
        .annotate(n=Sum("views"))
        .values_list("hour", "n")
    )
    hours = [start + timedelta(hours=i) for i in range(HOURS)]
    return [(_local(h, "j M H:00"), found.get(h, 0)) for h in hours]


def thirty_days(counts, now):
    """Reads of the last 30 days (the newsroom's days, today last) by day, language and
    section: one scan of the window serves three charts."""
    zone = timezone.get_current_timezone()
    first = timezone.localdate(now) - timedelta(days=DAYS - 1)
    start = timezone.make_aware(datetime.combine(first, time.min), zone)
    rows = (
        counts.filter(hour__gte=start)
        .annotate(day=TruncDate("hour", tzinfo=zone))
        .values("day", "article__language", "article__section__name")
        .annotate(n=Sum("views"))
        .values_list("day", "article__language", "article__section__name", "n")
    )
    days, languages, sections = Counter(), Counter(), Counter()
    for day, language, section, n in rows:
        days[day] += n
        languages[language] += n
        sections[section] += n
    timeline = [first + timedelta(days=i) for i in range(DAYS)]
    return [(date_format(d, "j M"), days[d]) for d in timeline], languages, sections


def ranked(counter, labels=str):
    """``(label, reads)`` most first, ties by label."""
    return sorted(((labels(k), n) for k, n in counter.items()), key=lambda r: (-r[1], r[0]))


def now_and_yesterday(counts, now):
    """Each story's reads in the current hour and in the same hour yesterday (one query),
    for the top stories and the fastest risers."""
    hour = this_hour(now)
    yesterday = hour - timedelta(hours=24)
    return (
        counts.filter(hour__in=[hour, yesterday])
        .values("article_id", "article__headline")
        .annotate(
            now=Coalesce(Sum("views", filter=Q(hour=hour)), 0),
            before=Coalesce(Sum("views", filter=Q(hour=yesterday)), 0),
        )
        .annotate(rise=F("now") - F("before"))
    )


def site_charts(now=None):
    """The dashboard's readership charts: one query each."""
    now = now or timezone.now()
    counts = StoryViewCount.objects.all()
    languages = dict(settings.LANGUAGES)
    per_day, per_language, per_section = thirty_days(counts, now)
    pair = now_and_yesterday(counts, now)
    top = list(pair.order_by("-now", "article_id")[:TOP])
    rising = list(pair.filter(rise__gt=0).order_by("-rise", "article_id")[:TOP])
    return [
        _timeline("reads-hourly", _("Reads per hour, last 48 hours"), hourly(counts, now),
                  (_("Hour"), _("Reads"))),
        _timeline("reads-daily", _("Reads per day, last 30 days"), per_day,
                  (_("Day"), _("Reads"))),
        _ranked("reads-language", _("Reads per language, last 30 days"),
                (_("Language"), _("Reads")), ranked(per_language, lambda k: languages.get(k, k))),
        _ranked("reads-section", _("Reads per section, last 30 days"),
                (_("Section"), _("Reads")), ranked(per_section)),
        _ranked("top-stories", _("Top stories this hour"),
                (_("Story"), _("Reads this hour"), _("Same hour yesterday")),
                [(r["article__headline"], r["now"], r["before"]) for r in top]),
        _ranked("rising-stories", _("Rising fastest (this hour against the same hour yesterday)"),
                (_("Story"), _("More reads than yesterday"), _("Reads this hour")),
                [(r["article__headline"], r["rise"], r["now"]) for r in rising]),
    ]  # fmt: skip


def story_charts(article, now=None):
    """One story's reads per hour and per day (its admin page)."""
    now = now or timezone.now()
    counts = StoryViewCount.objects.filter(article=article)
    return [
        _timeline(f"story-{article.pk}-hourly", _("Reads of this story per hour, last 48 hours"),
                  hourly(counts, now), (_("Hour"), _("Reads"))),
        _timeline(f"story-{article.pk}-daily", _("Reads of this story per day, last 30 days"),
                  thirty_days(counts, now)[0], (_("Day"), _("Reads"))),
    ]  # fmt: skip


def _timeline(slug, title, rows, columns):
    peak = max(rows, key=lambda row: row[1])
    description = _("%(total)s reads in all; the most, %(peak)s, at %(when)s.") % {
        "total": sum(row[1] for row in rows), "peak": peak[1], "when": peak[0],
    }  # fmt: skip
    return Chart(slug, title, description, _("reads"), rows, columns)


def _ranked(slug, title, columns, rows):
    if rows:
        description = _("%(count)s rows; first: %(label)s, %(value)s.") % {
            "count": len(rows), "label": rows[0][0], "value": rows[0][1],
        }  # fmt: skip
    else:
        description = _("No reads counted yet.")
    return Chart(slug, title, description, _("reads"), rows, columns, labelled_bars=True)


def readership_source(user, article=None):
    """The charts source registered with ``core.charts``: for those who work on stories."""
    if not user.has_perm("articles.view_article"):
        return []
    return story_charts(article) if article is not None else site_charts()
