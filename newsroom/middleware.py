"""Site-wide request handling for security and reliability (issue 8)."""

import logging

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string

logger = logging.getLogger("newsroom.reliability")


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy for every page, loosened for the admin only where CKEditor 5
    needs it (``ADMIN_CSP_UPDATE``). Reader pages keep the strict policy."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and request.path_info.startswith(settings.ADMIN_CSP_PREFIXES):
            parts.update = {**settings.ADMIN_CSP_UPDATE, **(parts.update or {})}
        return parts


# Refused or lost connections (a restart, a failover): not bugs, so not a 500.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)


def database_unavailable(request, exception):
    """The styled 503 with Retry-After; it needs no database and no context processors."""
    logger.error(
        "database_unavailable", extra={"path": request.path, "error": str(exception)[:200]}
    )
    page = render_to_string("503.html", {"site_name": settings.SITE_NAME})
    response = HttpResponse(page, status=503)
    response["Retry-After"] = str(settings.DATABASE_RETRY_AFTER)
    return response


class DatabaseUnavailableMiddleware:
    """While the database is unreachable, readers get the 503 page instead of a traceback,
    and the next request after it is back simply works: Django opens a fresh connection
    (``CONN_HEALTH_CHECKS``). Errors raised outside a view reach ``handler500``, which
    answers the same way (``newsroom.views.server_error``)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            return database_unavailable(request, exception)
        return None
