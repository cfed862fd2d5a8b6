import json
import logging
import sys
from urllib.parse import urlsplit

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core.ratelimits import too_many_requests, wait_for
from core.readers import request_ip_hash
from core.tasks import oldest_waiting_seconds

from .middleware import DATABASE_UNAVAILABLE, database_unavailable

ROBOTS_SITEMAPS = ["sitemap_index", "news_sitemap"]
HEALTH_CACHE_KEY = "healthz"

logger = logging.getLogger("newsroom.security")


def _database_status():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:  # Any failure means "not ready"; details belong in server logs.
        return "unavailable"
    return "ok"


def _cache_status():
    try:
        cache.set(HEALTH_CACHE_KEY, "ok", timeout=10)
        answered = cache.get(HEALTH_CACHE_KEY)
    except Exception:  # As above: an unreachable Redis raises its own connection errors.
        return "unavailable"
    return "ok" if answered == "ok" else "unavailable"


def _tasks_status():
    """ "late" once the longest-waiting due task has waited past ``TASKS_MAX_QUEUE_AGE``:
    the workers are down or cannot keep up, and purges and emails are not going out."""
    try:
        waited = oldest_waiting_seconds()
    except Exception:  # The queue's store is unreachable; the database check says which.
        return "unavailable", None
    return ("ok" if waited <= settings.TASKS_MAX_QUEUE_AGE else "late"), waited


@never_cache
def healthz(request):
    """For load balancers and operators: 200 when the database, the cache and the task
    queue are well, 503 naming the one that is not. No hosts, versions or error texts."""
    tasks, waited = _tasks_status()
    checks = {"database": _database_status(), "cache": _cache_status(), "tasks": tasks}
    healthy = all(status == "ok" for status in checks.values())
    return JsonResponse(
        {"status": "ok" if healthy else "unavailable", **checks, "oldest_task_seconds": waited},
        status=200 if healthy else 503,
    )


def robots_txt(request):
    """Crawlers keep out of the admin and previews, and find the sitemaps here."""
    sitemaps = [request.build_absolute_uri(reverse(name)) for name in ROBOTS_SITEMAPS]
    return render(request, "robots.txt", {"sitemaps": sitemaps}, content_type="text/plain")


@csrf_exempt  # Browsers send violation reports without cookies or tokens.
@require_POST
def csp_report(request):
    """Log one line per Content-Security-Policy violation: the directive and the blocked
    resource's host only (a blocked URL's path or query could carry a reader's data)."""
    retry_after = wait_for(
        request, "newsroom:csp-report", settings.RATE_LIMIT_CSP_REPORTS, request_ip_hash(request)
    )
    if retry_after:
        return too_many_requests(retry_after)
    try:
        report = json.loads(request.body or b"{}").get("csp-report", {})
    # RecursionError: JSON nested thousands deep, which the parser cannot follow.
    except (ValueError, AttributeError, RecursionError):
        return HttpResponse(status=400)
    if not isinstance(report, dict):
        return HttpResponse(status=400)
    blocked = str(report.get("blocked-uri", ""))
    try:
        blocked_host = urlsplit(blocked).hostname
    except ValueError:  # Not a URL at all ("http://[::1"): log its scheme-like start.
        blocked_host = None
    logger.warning(
        "csp_violation",
        extra={
            "directive": str(
                report.get("effective-directive") or report.get("violated-directive", "")
            )[:100],
            "blocked_host": (blocked_host or blocked.split(":")[0])[:100],
        },
    )
    return HttpResponse(status=204)


def _standalone_error(template, status):
    """Error pages that must render with the database down: no request context."""
    return HttpResponse(
        render_to_string(template, {"site_name": settings.SITE_NAME}), status=status
    )


def bad_request(request, exception):
    return _standalone_error("400.html", 400)


def server_error(request):
    # Django calls this while handling the exception, so it is still at hand.
    exception = sys.exc_info()[1]
    if isinstance(exception, DATABASE_UNAVAILABLE):
        return database_unavailable(request, exception)
    return _standalone_error("500.html", 500)


def login_locked_out(request, original_response, credentials):
    """django-axes' answer to a locked-out admin login: a page saying so and how to unlock."""
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "cooloff_hours": settings.AXES_COOLOFF_TIME,
        "site_header": settings.SITE_NAME,
    }
    return render(request, "admin/locked_out.html", context, status=429)
