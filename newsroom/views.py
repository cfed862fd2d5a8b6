from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.cache import never_cache

ROBOTS_SITEMAPS = ["sitemap_index", "news_sitemap"]


@never_cache
def healthz(request):
    """For load balancers: 200 when the database answers, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except Exception:  # Any failure means "not ready"; details belong in server logs.
        database = "unavailable"
    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database}, status=status)


def robots_txt(request):
    """Crawlers keep out of the admin and previews, and find the sitemaps here."""
    sitemaps = [request.build_absolute_uri(reverse(name)) for name in ROBOTS_SITEMAPS]
    return render(request, "robots.txt", {"sitemaps": sitemaps}, content_type="text/plain")


def bench_reference(request):
    """``make bench``'s floor: a constant page of the asked size, no database, no template,
    through the same middleware as every page. Routed only when BENCH_REFERENCE is on."""
    size = min(int(request.GET.get("bytes", "0") or 0), 1_000_000)
    return HttpResponse(b"x" * size, content_type="text/html; charset=utf-8")
