"""Refuse cross-site POSTs without a CSRF token in the page (issue 19; docs/security.md).

A form on a page that shared caches keep cannot hold a per-reader CSRF token. What a
token proves (the POST comes from a page of this site) browsers now say themselves:
``Sec-Fetch-Site`` (every current browser) and ``Origin`` (sent on every cross-origin
POST since 2020) cannot be set by another site's page. A POST that says it comes from
elsewhere is refused. One that says nothing (an old browser, a privacy proxy) and one from
a signed-in reader (whose pages are never shared) must carry Django's CSRF token as
before.
"""

import functools

from django.conf import settings
from django.middleware.csrf import CsrfViewMiddleware
from django.utils.module_loading import import_string
from django.views.decorators.csrf import csrf_exempt

SAME_SITE = {"same-origin", "none"}


def _trusted_origins(request):
    return {f"{request.scheme}://{request.get_host()}", *settings.CSRF_TRUSTED_ORIGINS}


def is_cross_site(request):
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site is not None and fetch_site not in SAME_SITE:
        return True
    origin = request.headers.get("Origin")
    return origin is not None and origin not in _trusted_origins(request)


def same_site_posts(view):
    """The view takes POSTs from this site's pages without a CSRF token in them."""

    @csrf_exempt
    @functools.wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "POST":
            if is_cross_site(request):
                return import_string(settings.CSRF_FAILURE_VIEW)(request, reason="cross-site")
            says_where = "Origin" in request.headers or "Sec-Fetch-Site" in request.headers
            if request.user.is_authenticated or not says_where:
                refused = CsrfViewMiddleware(view).process_view(request, view, args, kwargs)
                if refused is not None:
                    return refused
        return view(request, *args, **kwargs)

    return wrapped
