"""What readers read, from the read counts only, never per read: the hourly ones
(``StoryViewCount``) for the last 48 hours and this hour against yesterday's, their daily
roll-up (``StoryViewDay``) for the last 30 days.

Each chart is one aggregate query over a window of an index (the hours' ``(hour, article)``
with the views included, the days' ``day`` with article and views), whatever the number of
stories or the length of the history, so the dashboard's query count is fixed and no chart
reads a year of hourly rows (docs/performance.md).
"""

from collections import Counter, defaultdict
from datetime import timedelta

from django.conf import settings
from django.db.models import Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from articles.models import Article, StoryViewCount, StoryViewDay, newsroom_day
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


def thirty_days(days, now):
    """Reads of the last 30 days (the newsroom's days, today last) by day, language and
    section, from the daily roll-up ``days``: one scan of the window serves three charts."""
    first = newsroom_day(now) - timedelta(days=DAYS - 1)
    rows = (
        days.filter(day__gte=first)
        .values("day", "article__language", "article__section__name")
        .annotate(n=Sum("views"))
        .values_list("day", "article__language", "article__section__name", "n")
    )
    per_day, languages, sections = Counter(), Counter(), Counter()
    for day, language, section, n in rows:
        per_day[day] += n
        languages[language] += n
        sections[section] += n
    timeline = [first + timedelta(days=i) for i in range(DAYS)]
    return [(date_format(d, "j M"), per_day[d]) for d in timeline], languages, sections


def ranked(counter, labels=str):
    """``(label, reads)`` most first, ties by label."""
    return sorted(((labels(k), n) for k, n in counter.items()), key=lambda r: (-r[1], r[0]))


def now_and_yesterday(counts, now):
    """The stories read in the current hour or the same hour yesterday, as
    ``[(article_id, reads now, reads then)]`` (one query on the index, no story row)."""
    hour = this_hour(now)
    yesterday = hour - timedelta(hours=24)
    pairs = defaultdict(lambda: [0, 0])
    rows = counts.filter(hour__in=[hour, yesterday]).values_list("article_id", "hour", "views")
    for article_id, when, n in rows:
        pairs[article_id][when == yesterday] += n
    return [(article_id, now, before) for article_id, (now, before) in pairs.items()]


def site_charts(now=None):
    """The dashboard's readership charts: five queries for all of them."""
    now = now or timezone.now()
    counts = StoryViewCount.objects.all()
    languages = dict(settings.LANGUAGES)
    per_day, per_language, per_section = thirty_days(StoryViewDay.objects.all(), now)
    pairs = now_and_yesterday(counts, now)
    top = sorted(pairs, key=lambda r: (-r[1], r[0]))[:TOP]
    rising = sorted((r for r in pairs if r[1] > r[2]), key=lambda r: (r[2] - r[1], r[0]))[:TOP]
    # The headlines of the twenty stories at most that the two lists show.
    headlines = dict(
        Article.objects.filter(pk__in={r[0] for r in top + rising}).values_list("pk", "headline")
    )
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
                [(headlines[pk], now_n, before) for pk, now_n, before in top]),
        _ranked("rising-stories", _("Rising fastest (this hour against the same hour yesterday)"),
                (_("Story"), _("More reads than yesterday"), _("Reads this hour")),
                [(headlines[pk], now_n - before, now_n) for pk, now_n, before in rising]),
    ]  # fmt: skip


def story_charts(article, now=None):
    """One story's reads per hour and per day (its admin page)."""
    now = now or timezone.now()
    counts = StoryViewCount.objects.filter(article=article)
    return [
        _timeline(f"story-{article.pk}-hourly", _("Reads of this story per hour, last 48 hours"),
                  hourly(counts, now), (_("Hour"), _("Reads"))),
        _timeline(f"story-{article.pk}-daily", _("Reads of this story per day, last 30 days"),
                  thirty_days(StoryViewDay.objects.filter(article=article), now)[0],
                  (_("Day"), _("Reads"))),
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
