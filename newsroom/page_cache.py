"""Full-page cache for anonymous readers, never stale (issues #7 and 19; DESIGN.md
"Performance").

What is cached: GET and HEAD requests for reader pages (under a language prefix, the
sitemaps and robots.txt) from readers with no session and no pending flash message,
whose response is a 200 the view did not mark private or uncacheable and that sets no
cookie. Staff, previews and signed preview links, POSTs and anyone with a session always
get a freshly rendered page and never fill the cache.

Why it is never stale: a page is stored with the cache tags of everything it showed
(``core.cache``: rows record their tags as they load, views and template tags the lists
they are) and is current only while none of them was invalidated since it was built; a
change invalidates exactly the tags it reaches. The only changes no save announces are
the clock's: a scheduled story going live, a breaking flag running out, a front-page
slot ending. No page is kept past the next such moment (``next_change_at``). A page
showing a placeholder for a picture whose renditions a worker is still making is not
cached at all, here or at the edge.

One exception, for a crowd: while one request renders a page again after a change (it
claims the page for ``CLAIM_SECONDS`` at most), the others asking for it get the copy
it replaces (``X-Page-Cache: stale``, kept by no edge) instead of all rendering it at
once; on a busy home page that is dozens of renders saved per change, and the new page
is served the moment its render is stored.

The site chrome (News Line, breaking banner, navigation, social links) is not in the
cached copy: it holds placeholders that ``newsroom.chrome`` fills on every response from
fragments of their own. The cached copy holds nothing of one reader's (the review form
needs no CSRF token: ``comments.views`` checks where a POST comes from instead), so it
is sent ``public`` with its tags in the headers named by ``CACHE_TAG_HEADERS`` for the
edge caches. A page that still asks for a CSRF token gets a placeholder filled per
response, and stays ``private``.
"""

import hashlib
import re
import time

from django.conf import settings
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

from articles import schedule
from core.cache import (
    Build,
    collecting_tags,
    get_tagged_many,
    set_tagged,
    timeout_until,
)
from core.fragments import is_shared_request, release

from . import chrome

CSRF_HOLE = "newsroom-page-cache-csrf-token"
NOT_ASKED = object()
# How long one request may hold the right to render a page again while others get the
# copy it replaces; a render that crashes frees it after this.
CLAIM_SECONDS = 10
# Varying on these is covered: the language is in the key, and requests with cookies
# that change a page (session, messages) are never served from the cache.
HANDLED_VARY = {"accept-language", "cookie"}
UNCACHEABLE_DIRECTIVES = {"private", "no-store", "no-cache", "max-age=0"}


def _reader_paths():
    languages = "|".join(re.escape(code) for code, _name in settings.LANGUAGES)
    return re.compile(rf"^/(?:(?:{languages})/|robots\.txt$|(?:news-)?sitemap[-\w]*\.xml$)")


READER_PATH = _reader_paths()


def _claim_key(key):
    return f"{key}:rendering"


def page_timeout(until=NOT_ASKED):
    """How long a page may be kept: ``PAGE_CACHE_SECONDS``, cut short at the clock's next
    change (``until``, when the caller has asked for it already)."""
    moment = schedule.next_change_at() if until is NOT_ASKED else until
    return timeout_until(moment, settings.PAGE_CACHE_SECONDS)


def serves_from_cache(request):
    """Whether this request may be answered from, and may fill, the page cache."""
    return (
        settings.PAGE_CACHE_SECONDS > 0
        and is_shared_request(request)
        and READER_PATH.match(request.path_info) is not None
    )


def own_shared_seconds(response):
    """How long the view itself lets shared caches keep its answer (a live page and its
    polling endpoint: seconds), kept when shorter than what this cache would allow."""
    found = re.search(r"s-maxage=(\d+)", response.get("Cache-Control", ""))
    return int(found[1]) if found else settings.PAGE_CACHE_SECONDS


def page_key(request):
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:40]
    return f"newsroom:page:{release()}:{get_language()}:{digest}"


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


def _entry(response, timeout, tags):
    content = response.content
    now = int(time.time())
    return {
        "tags": sorted(tags),
        "content": content,
        "headers": list(response.items()),
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
            return self._fill_holes(request, self.get_response(request))
        key = page_key(request)
        # The page and the chrome to stitch into it, in one go (two round trips).
        stale = {}
        with collecting_tags() as fetched_tags:
            fetched = get_tagged_many([key, *chrome.keys(), schedule.KEY], stale=stale)
        # The moment is read with the page for a miss to use; it shows nothing itself.
        fetched_tags.discard(schedule.TAG)
        entry = fetched.pop(key, None)
        status = "hit"
        claimed = entry is None and key in stale and cache.add(_claim_key(key), 1, CLAIM_SECONDS)
        if entry is None and key in stale and not claimed:
            # Another request is rendering this page again right now. Rather than render it
            # alongside (a crowd on a page just invalidated would render it once each), the
            # copy it replaces answers for the moment that render takes.
            entry, status = stale[key], "stale"
        if entry is None:
            status = "miss"
            try:
                response, entry = self._render(request, key, fetched)
            finally:
                if claimed:
                    cache.delete(_claim_key(key))
            if entry is None:
                return self._fill_holes(request, response, fetched)
        else:
            response = _response(entry)
        response["X-Page-Cache"] = status
        response = self._fill_holes(request, response, fetched)
        if CSRF_HOLE.encode() in entry["content"]:
            patch_cache_control(response, private=True, max_age=0)
        else:
            patch_cache_control(
                response,
                public=True,
                max_age=min(settings.PAGE_CACHE_BROWSER_SECONDS, settings.PAGE_CACHE_SECONDS),
                # No edge keeps the copy standing in while its page is rendered again.
                s_maxage=0
                if status == "stale"
                else min(
                    max(0, entry["expires"] - int(time.time())), own_shared_seconds(response)
                ),
            )
            _tag_headers(response, {*entry["tags"], *fetched_tags, *response.chrome_tags})
        # Of the page as stitched: a News Line that moved on is a new page to a browser.
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
        response["ETag"] = etag
        response["Last-Modified"] = http_date(entry["last_modified"])
        conditional = get_conditional_response(request, etag=etag, response=response)
        return conditional

    def _render(self, request, key, fetched):
        """The response, and the entry stored for it (None if it may not be kept)."""
        request.page_cache_holes = True
        until = schedule.next_change_at(fetched)
        build = Build()
        with collecting_tags(build) as tags:
            response = self.get_response(request)
        if getattr(request, "shows_pending_picture", False):
            # A placeholder stands for a picture a worker is making renditions of
            # (articles' picture and crop tags): no cache may keep it.
            add_never_cache_headers(response)
        if not _storable(request, response):
            return response, None
        timeout = page_timeout(until)
        entry = _entry(response, timeout, tags)
        set_tagged(key, build, tags, entry, timeout, until=until)
        return response, entry

    def _fill_holes(self, request, response, fetched=None):
        response.chrome_tags = set()
        if response.streaming:
            return response
        response.content, response.chrome_tags = chrome.stitch(request, response.content, fetched)
        if CSRF_HOLE.encode() not in response.content:
            return response
        # get_token() also makes CsrfViewMiddleware (further out) set the matching cookie.
        response.content = response.content.replace(
            CSRF_HOLE.encode(), get_token(request).encode()
        )
        patch_vary_headers(response, ["Cookie"])
        return response


TAG_SEPARATORS = {"xkey": " ", "surrogate-key": " ", "cache-tag": ","}


def _tag_headers(response, tags):
    """The page's tags for the edge caches, in each header ``CACHE_TAG_HEADERS`` names."""
    for header in settings.CACHE_TAG_HEADERS:
        response[header] = TAG_SEPARATORS[header.lower()].join(sorted(tags))
