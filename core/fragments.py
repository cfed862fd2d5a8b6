"""Cached fragments: the parts of a page that a page-cache miss need not render again
(issue 19; DESIGN.md "Cache tags").

A page the page cache cannot answer (a new query string, a reader with a session, a page
whose tags were just invalidated) is rendered, but its costly parts come from fragments
cached under the tags of what they show: a story's text, its reviews, the cards of a
list. Approving a review then re-renders that story's reviews block and not its text;
editing a story re-renders its text and its cards, not the reviews.

The story page as a whole is one too, for readers without a session
(``cached_html``, ``articles.views.StoryView``): kept by the story's address rather than
the whole query string, so a page-cache miss that changes nothing on the page (a
campaign's utm_ parameters) costs a cache read, no query and no render.

A fragment is a template rendered with a context built only on a miss (``context`` is a
callable), so the queries it needs run only when it is rendered. Its key holds the
release (``release()``), the language, the host (absolute links) and what the caller
says it varies on. A fragment
that shows a picture still waiting for its renditions (``shows_pending_picture``, set
by articles' picture tags) is served but not kept, as for pages.
"""

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.template.loader import render_to_string
from django.template.utils import get_app_template_dirs
from django.utils.translation import get_language

from .cache import (
    Build,
    collecting_tags,
    get_tagged_many,
    record_tags,
    set_tagged,
    timeout_until,
)


@functools.cache
def release():
    """``RELEASE``, or else a digest of every template: after a deploy no page or fragment
    rendered by the previous release's templates is served, and app servers running the
    same templates share their fragments."""
    if settings.RELEASE:
        return settings.RELEASE
    digest = hashlib.sha256()
    for folder in sorted(str(path) for path in get_app_template_dirs("templates")) + [
        str(folder) for engine in settings.TEMPLATES for folder in engine.get("DIRS", [])
    ]:
        for path in sorted(Path(folder).rglob("*.*")):
            digest.update(path.relative_to(folder).as_posix().encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def fragment_key(name, request, vary):
    host = request.get_host() if request is not None else ""
    # Hashed: what a fragment varies on may be a reader's words (a search).
    parts = hashlib.sha256(repr((host, *vary)).encode()).hexdigest()[:32]
    return f"newsroom:fragment:{release()}:{name}:{get_language()}:{parts}"


def render_fragments(specs, request, seconds=None):
    """The HTML of each fragment in ``specs`` (``[(name, vary, template, context, tags)]``),
    in their order: all looked up in one round trip to the cache, the missing ones
    rendered and stored under ``tags`` and the tags they recorded (an empty list of reviews
    loads no row, yet shows that there are none)."""

    def render(template, context):
        return lambda: render_to_string(template, {"request": request, **context()})

    built = [
        (name, vary, render(template, context), tags)
        for name, vary, template, context, tags in specs
    ]
    return _cached(built, request, seconds)


def render_fragment(name, vary, template, context, request, tags=(), seconds=None):
    """One fragment; ``seconds`` shortens its life below ``FRAGMENT_CACHE_SECONDS`` (for
    what changes without a save to announce it, such as reading counts)."""
    return render_fragments([(name, vary, template, context, tags)], request, seconds)[0]


def cached_html(name, vary, render, request, tags=(), seconds=None, until=None):
    """``render()``'s HTML as a fragment: for a whole page's body that is the same for every
    reader (``articles.views.StoryView``). ``until``, called only when it is rendered,
    gives the moment (a datetime or None) the clock ends it, as it does for pages."""
    return _cached([(name, vary, render, tags)], request, seconds, until)[0]


def is_shared_request(request):
    """Whether the page asked for is the one every reader gets: a GET or HEAD from a
    reader with no session (so not signed in) and no message waiting to be shown."""
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
    )


def _cached(specs, request, seconds, until=None):
    """``specs``: ``[(name, vary, render, tags)]``; ``until``: a callable, or None."""
    keys = [fragment_key(spec[0], request, spec[1]) for spec in specs]
    longest = settings.FRAGMENT_CACHE_SECONDS
    seconds = longest if seconds is None else min(seconds, longest)
    found = get_tagged_many(keys) if seconds > 0 else {}
    html = []
    for key, (_name, _vary, render, tags) in zip(keys, specs, strict=True):
        if key in found:
            html.append(found[key])
            continue
        moment = until() if until is not None else None
        build = Build()
        pending_before = getattr(request, "shows_pending_picture", False)
        if request is not None:
            request.shows_pending_picture = False
        with collecting_tags(build) as recorded:
            record_tags(*tags)
            rendered = render()
        pending = getattr(request, "shows_pending_picture", False)
        if request is not None:
            request.shows_pending_picture = pending_before or pending
        if seconds > 0 and not pending:
            timeout = timeout_until(moment, seconds)
            set_tagged(key, build, recorded, rendered, timeout, until=moment)
        html.append(rendered)
    return html
