"""Rate limits for every public POST (reviews, reports, the beacon, CSP reports): counted
per reader (a keyed hash of the address, never the address, see ``core.readers``) or per
email with django-ratelimit, answered with 429 and ``Retry-After``.

The counters live in the "ratelimits" cache (``RATELIMIT_USE_CACHE``), never the page
cache's "default": pages come and go by the thousand and would evict them."""

from django.http import HttpResponse
from django.utils.translation import gettext as _
from django_ratelimit.core import get_usage


def wait_for(request, group, rate, reader):
    """Count this request against ``rate`` in ``group`` for ``reader`` (a hashed address,
    or another key such as an email); the seconds to wait when over the limit, else 0."""
    usage = get_usage(
        request,
        group=group,
        key=lambda _group, _request: reader,
        rate=rate,
        increment=True,
    )
    if usage and usage["should_limit"]:
        return max(usage["time_left"], 1)
    return 0


def too_many_requests(retry_after):
    response = HttpResponse(
        _("Too many requests. Please wait %(seconds)d seconds and try again.")
        % {"seconds": retry_after},
        status=429,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(retry_after)
    return response
