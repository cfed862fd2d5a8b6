"""EXPLAIN ANALYZE of the main reader and admin queries, and admin changelist timings.

Run against a seeded PostgreSQL database (docs/performance.md):

    export DEBUG=1 ALLOWED_HOSTS=testserver DATABASE_URL=postgres://.../newsroom_bench
    .venv/bin/python manage.py shell --no-imports \\
        --command "exec(open('scripts/explain.py').read())"
"""

import statistics
import time

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from taggit.models import Tag

from articles.models import Article
from comments.models import Comment

translation.activate("en")
story = Article.objects.published().in_language("en").order_by("-published_at").first()
tag = Tag.objects.order_by("pk").first()
listing = Article.objects.published().in_language("en").for_listing()

QUERIES = {
    "story page: the story": Article.objects.for_story_page()
    .published()
    .filter(language="en", section__slug=story.section.slug, slug=story.slug),
    "story page: a page of reviews": Comment.objects.visible()
    .filter(article=story, parent=None)
    .order_by("created_at", "pk")[:50],
    "News Line / home: latest 30": listing[:30],
    "section front: page 1": listing.filter(section=story.section)[:20],
    "tag page: page 1": listing.filter(tags=tag)[:20],
    "tag page: count": listing.filter(tags=tag).order_by(),
    "moderation queue: pending, newest first": Comment.objects.in_moderation().order_by(
        "-created_at"
    )[:100],
    "moderation queue: pending, oldest first (the Pending tab)": Comment.objects.filter(
        status=Comment.Status.PENDING
    ).order_by("created_at", "pk")[:100],
}

for title, queryset in QUERIES.items():
    if title.endswith("count"):
        sql, params = queryset.query.sql_with_params()
        with connection.cursor() as cursor:
            # The SQL is Django's own compilation of the queryset above; values stay params.
            cursor.execute(f"EXPLAIN ANALYZE SELECT COUNT(*) FROM ({sql}) counted", params)  # noqa: S608
            plan = "\n".join(row[0] for row in cursor.fetchall())
    else:
        plan = queryset.explain(analyze=True)
    print(f"### {title}\n\n```\n{plan}\n```\n")

# Article.objects.next_change_at(): one aggregate, asked once per content version.
with connection.cursor() as cursor:
    cursor.execute(
        "EXPLAIN ANALYZE SELECT MIN(published_at) FILTER (WHERE status = 'published' AND "
        "published_at > now()), MIN(breaking_until) FILTER (WHERE breaking_until > now()) "
        "FROM articles_article"
    )
    plan = "\n".join(row[0] for row in cursor.fetchall())
print(f"### next scheduled change (cache lifetime bound)\n\n```\n{plan}\n```\n")

admin = get_user_model().objects.filter(is_superuser=True).first()
if admin is None:
    admin = get_user_model().objects.create_superuser("bench-admin", "bench@example.com", None)
client = Client()
client.force_login(admin)
print("| admin page | median ms | queries |\n|---|---:|---:|")
for url in [
    "/admin/articles/article/",
    "/admin/articles/article/?q=budget",
    "/admin/comments/comment/",
    "/admin/comments/comment/?status__exact=pending",
    "/admin/comments/comment/?queue=pending",
    "/admin/comments/comment/?queue=reported",
]:
    client.get(url)
    timings = []
    for _ in range(5):
        with CaptureQueriesContext(connection) as queries:
            started = time.perf_counter()
            response = client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    print(f"| `{url}` | {statistics.median(timings):.0f} | {len(queries)} |")
