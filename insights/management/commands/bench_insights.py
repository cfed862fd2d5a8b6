"""Seed a year of hourly read counts and time the dashboard and the translation board.

    .venv/bin/python manage.py seed_newsroom            # make bench's 20,000 stories
    .venv/bin/python manage.py bench_insights --seed    # + reads, then the timings

``--seed`` writes, for every story, its reads in each of the 72 hours after publication,
and for 1,000 stories reads in every one of the last 48 hours, rolls them up by day
(``StoryViewDay``, which the beacon keeps as it counts); decided reviews get a decision
time up to 12 hours after posting (docs/performance.md).
"""

import statistics
import time
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from articles.models import Article, StoryViewCount, StoryViewDay
from insights.readership import this_hour

PAGES = {"dashboard": "/admin/", "translation board": "/admin/insights/translations/"}


class Command(BaseCommand):
    help = "Seed hourly reads (--seed) and time the insights pages (median of --runs)."

    def add_arguments(self, parser):
        parser.add_argument("--seed", action="store_true")
        parser.add_argument("--runs", type=int, default=5)

    def handle(self, *, seed, runs, **options):
        if seed:
            self.seed()
        user = get_user_model().objects.filter(is_superuser=True).first()
        if user is None:
            user = get_user_model().objects.create_superuser("bench-insights", "", None)
        client = Client()
        client.force_login(user)
        stories = Article.objects.count()
        rows = StoryViewCount.objects.count()
        self.stdout.write(f"{stories} stories, {rows} hourly rows, {connection.vendor}")
        self.stdout.write("| page | median ms | queries |\n|---|---:|---:|")
        for name, address in PAGES.items():
            client.get(address)  # warm the connection and the templates
            timings = []
            for _ in range(runs):
                with CaptureQueriesContext(connection) as queries:
                    start = time.perf_counter()
                    response = client.get(address)
                    timings.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200, response.status_code
            self.stdout.write(f"| {name} | {statistics.median(timings):.0f} | {len(queries)} |")

    def seed(self):
        StoryViewCount.objects.all().delete()
        now = this_hour()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    """
                    INSERT INTO articles_storyviewcount (article_id, hour, views)
                    SELECT a.id, date_trunc('hour', a.published_at) + h * interval '1 hour',
                           1 + ((a.id * 7919 + h * 104729) %% 200) / (1 + h / 6)
                    FROM articles_article a CROSS JOIN generate_series(0, 71) h
                    WHERE a.published_at IS NOT NULL
                      AND date_trunc('hour', a.published_at) + h * interval '1 hour' <= %s
                    ON CONFLICT DO NOTHING;
                    INSERT INTO articles_storyviewcount (article_id, hour, views)
                    SELECT a.id, %s - h * interval '1 hour', 1 + (a.id * 31 + h * 17) %% 90
                    FROM (SELECT id FROM articles_article ORDER BY id DESC LIMIT 1000) a
                    CROSS JOIN generate_series(0, 47) h
                    ON CONFLICT (article_id, hour) DO NOTHING;
                    UPDATE comments_comment
                    SET moderated_at = created_at + (id %% 720) * interval '1 minute'
                    WHERE status <> 'pending' AND moderated_at IS NULL;
                    """,
                    [now, now],
                )
            StoryViewDay.rebuild()
            # A year-old table has been vacuumed by autovacuum many times; fresh rows
            # have not, and an index-only scan would visit the heap for each of them.
            with connection.cursor() as cursor:
                for table in ["articles_storyviewcount", "articles_storyviewday",
                              "comments_comment"]:  # fmt: skip
                    cursor.execute(f"VACUUM ANALYZE {table}")
            return
        StoryViewCount.objects.bulk_create(
            (
                StoryViewCount(
                    article_id=pk, hour=now - timedelta(hours=h), views=1 + (pk + h) % 90
                )
                for pk in Article.objects.order_by("-pk").values_list("pk", flat=True)[:1000]
                for h in range(48)
            ),
            batch_size=5000,
        )
        StoryViewDay.rebuild()
