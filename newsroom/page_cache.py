"""Full-page cache for anonymous readers, never stale (issue #7; DESIGN.md "Performance").

What is cached: GET and HEAD requests for reader pages (under a language prefix, the
sitemaps and robots.txt) from readers with no session and no pending flash message,
whose response is a 200 the view did not mark private or uncacheable and that sets no
cookie. Staff, previews and signed preview links, POSTs and anyone with a session always
get a freshly rendered page and never fill the cache.

Why it is never stale: a page is stored with the site's content version
(``core.cache``) and served only while that is still the version; every save readers
could notice moves it on, on every app server sharing the cache. The only changes no save
announces are the clock's: a scheduled story going live, a breaking flag running out, a
front-page slot ending. No page is cached past the next such moment
(``Article.objects.next_change_at()``, itself cached under the version). A page showing a
placeholder for a picture whose renditions a worker is still making is not cached at all,
here or at the edge.

The "Leave a review" form on a cached page: its CSRF token is per reader (it must match
the reader's ``csrftoken`` cookie), so the cached copy holds a placeholder instead
(``page_cache_holes`` in ``newsroom.context_processors``) and every response, fresh or
from the cache, gets this reader's own token filled in, with the cookie to match. The
form therefore works without JavaScript, and CSRF stays enforced. Because such a page
carries a per-reader token it is marked ``private``: a shared cache (CDN) may store only
pages without a form. The form's signed timestamp is shared and at most
``PAGE_CACHE_SECONDS`` old, far inside what ``comments.pipeline`` accepts.
"""

import hashlib
import re
import time

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.utils.cache import (
    add_never_cache_headers,
    cc_delim_re,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
)
from django.utils.http import http_date
from django.utils.translation import get_language

from core.cache import get_current, set_current, timeout_until, versioned_key

CSRF_HOLE = "newsroom-page-cache-csrf-token"
CACHED_METHODS = {"GET", "HEAD"}
# Varying on these is covered: the language is in the key, and requests with cookies
# that change a page (session, messages) are never served from the cache.
HANDLED_VARY = {"accept-language", "cookie"}
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache", "max-age=0"}


def _reader_paths():
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:(?:{languages})/|robots\.txt$|(?:news-)?sitemap[-\w]*\.xml$)")


READER_PATH = _reader_paths()


def next_change_at():
    """``Article.objects.next_change_at()``, asked once per content version."""
    from articles.models import Article

    key = versioned_key("next-change")
    cached = cache.get(key)
    if cached is None:
        moment = Article.objects.next_change_at()
        cached = (moment,)
        cache.set(key, cached, timeout_until(moment, settings.PAGE_CACHE_SECONDS))
    return cached[0]


def page_timeout():
    return timeout_until(next_change_at(), settings.PAGE_CACHE_SECONDS)


def serves_from_cache(request):
    """Whether this request may be answered from, and may fill, the page cache."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and request.method in CACHED_METHODS
        and READER_PATH.match(request.path_info) is not None
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def own_shared_seconds(response):
    """How long the view itself lets shared caches keep its answer (a live page and its
    polling endpoint: seconds), kept when shorter than what this cache would allow."""
    found = re.search(r"s-maxage=(\d+)", response.get("Cache-Control", ""))
    return int(found[1]) if found else settings.PAGE_CACHE_SECONDS


def page_key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"newsroom:page:{get_language()}:{digest}"


def _storable(request, response):
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    # The view used the reader's real CSRF token somewhere: the page is theirs alone.
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    # The view wrote to the session: SessionMiddleware (further out) will set a cookie.
    if getattr(request, "session", None) is not None and request.session.modified:
        return False
    directives = {d.strip().lower() for d in cc_delim_re.split(response.get("Cache-Control", ""))}
    if directives & UNCACHEABLE_DIRECTIVES:
        return False
    vary = {v.strip().lower() for v in cc_delim_re.split(response.get("Vary", "")) if v.strip()}
    return vary <= HANDLED_VARY


def _entry(response, timeout):
    content = response.content
    now = int(time.time())
    return {
        "content": content,
        "headers": list(response.items()),
        "etag": '"' + hashlib.sha256(content).hexdigest()[:32] + '"',
        "last_modified": now,
        "expires": now + timeout,
    }


def _response(entry):
    response = HttpResponse(entry["content"])
    for header, value in entry["headers"]:
        response[header] = value
    return response


class PageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not serves_from_cache(request):
            return self.get_response(request)
        key = page_key(request)
        version, entry = get_current(key)
        status = "hit"
        if entry is None:
            status = "miss"
            request.page_cache_holes = True
            response = self.get_response(request)
            if getattr(request, "shows_pending_picture", False):
                # A placeholder stands for a picture a worker is making renditions of
                # (articles' picture and crop tags). Its content-version bump when done
                # reaches no edge cache, nor another process's local-memory cache.
                add_never_cache_headers(response)
            if not _storable(request, response):
                return self._fill_holes(request, response)
            timeout = page_timeout()
            entry = _entry(response, timeout)
            set_current(key, version, entry, timeout)
        else:
            response = _response(entry)
        response["ETag"] = entry["etag"]
        response["Last-Modified"] = http_date(entry["last_modified"])
        response["X-Page-Cache"] = status
        if CSRF_HOLE.encode() in entry["content"]:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(
                response,
                public=True,
                max_age=min(settings.PAGE_CACHE_BROWSER_SECONDS, settings.PAGE_CACHE_SECONDS),
                s_maxage=min(
                    max(0, entry["expires"] - int(time.time())), own_shared_seconds(response)
                ),
            )
        conditional = get_conditional_response(
            request, etag=entry["etag"], last_modified=entry["last_modified"], response=response
        )
        if conditional is not response:
            return conditional
        return self._fill_holes(request, response)

    def _fill_holes(self, request, response):
        if response.streaming or CSRF_HOLE.encode() not in response.content:
            return response
        # get_token() also makes CsrfViewMiddleware (further out) set the matching cookie.
        response.content = response.content.replace(
            CSRF_HOLE.encode(), get_token(request).encode()
        )
        patch_vary_headers(response, ["Cookie"])
        return response
