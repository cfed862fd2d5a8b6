"""Edge purges: ask the caches in front of the site to drop what a change touched.

By tag (``purge_tags``): every ``core.cache.invalidate_tags`` reaches, after commit, each
edge in ``EDGE_PURGE_URLS`` as ``PURGE`` with ``xkey-purge: <tags>`` (Varnish's xkey,
see deploy/varnish/newsroom.vcl and docs/deploy.md), and Fastly's or Cloudflare's purge
API when their service or zone is configured. By path (``purge_paths``, off unless
``CDN_PURGE_URL`` is set) for a CDN that only knows addresses; which pages those are is
``articles.cdn``'s business. Both send from a task: never inside the editor's request,
retried with backoff while the edge does not answer (core/tasks.py).
"""

import functools
import json
import logging
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django_tasks import task

from .tasks import enqueue_on_commit, retried

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 5
# Tags per purge request: keeps Varnish's header well under its size limits; Fastly and
# Cloudflare take at most these many keys or tags per call.
TAGS_PER_REQUEST = 50
FASTLY_KEYS_PER_REQUEST = 256
CLOUDFLARE_TAGS_PER_REQUEST = 30


class PurgeFailed(Exception):
    """The CDN did not drop every page; the task tries again later."""


@task()
@retried
def purge_paths(paths):
    """Ask the CDN to drop each of ``paths``. Idempotent: dropping a page that is already
    gone is a no-op for a CDN, so a retry that repeats the pages that did go is harmless."""
    failed = []
    for path in paths:
        address = settings.SITE_URL.rstrip("/") + path
        request = urllib.request.Request(  # noqa: S310 (the operator's own https URL)
            settings.CDN_PURGE_URL.format(url=quote(address, safe="")),
            method=settings.CDN_PURGE_METHOD,
        )
        try:
            with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS):  # noqa: S310
                pass
        except OSError as error:
            logger.warning("CDN purge of %s failed: %s", address, error)
            failed.append(path)
    if failed:
        raise PurgeFailed(f"{len(failed)} of {len(paths)} pages not purged")
    return len(paths)


def purge_on_commit(paths):
    """Purge ``paths`` from a worker once the current transaction commits (when a CDN is
    configured): a rolled-back save purges nothing, and the editor waits for no CDN."""
    if settings.CDN_PURGE_URL:
        enqueue_on_commit(purge_paths, list(paths))


def _varnish(url, tags):
    return urllib.request.Request(  # noqa: S310 (the operator's own edge)
        url, method="PURGE", headers={"xkey-purge": " ".join(tags)}
    )


def _fastly(tags):
    # https://www.fastly.com/documentation/reference/api/purging/ (bulk purge by key).
    return urllib.request.Request(  # noqa: S310 (Fastly's API, or a test's stand-in)
        f"{settings.FASTLY_API_URL}/service/{settings.FASTLY_SERVICE_ID}/purge",
        method="POST",
        data=json.dumps({"surrogate_keys": tags}).encode(),
        headers={"Fastly-Key": settings.FASTLY_API_TOKEN, "Content-Type": "application/json"},
    )


def _cloudflare(tags):
    # https://developers.cloudflare.com/api/resources/cache/methods/purge/ (by cache tag).
    return urllib.request.Request(  # noqa: S310 (Cloudflare's API, or a test's stand-in)
        f"{settings.CLOUDFLARE_API_URL}/zones/{settings.CLOUDFLARE_ZONE_ID}/purge_cache",
        method="POST",
        data=json.dumps({"tags": tags}).encode(),
        headers={
            "Authorization": f"Bearer {settings.CLOUDFLARE_API_TOKEN}",
            "Content-Type": "application/json",
        },
    )


def edges():
    """Every configured edge: its name, the tags one request may carry, the request."""
    found = [
        (url, TAGS_PER_REQUEST, functools.partial(_varnish, url))
        for url in settings.EDGE_PURGE_URLS
    ]
    if settings.FASTLY_SERVICE_ID:
        found.append(("Fastly", FASTLY_KEYS_PER_REQUEST, _fastly))
    if settings.CLOUDFLARE_ZONE_ID:
        found.append(("Cloudflare", CLOUDFLARE_TAGS_PER_REQUEST, _cloudflare))
    return found


@task()
@retried
def purge_tags(tags):
    """Ask every edge (Varnish in ``EDGE_PURGE_URLS``, Fastly, Cloudflare) to drop the
    responses tagged with any of ``tags``. Idempotent, so a retry may repeat the edges
    that did answer."""
    tags = sorted(tags)
    failed = []
    configured = edges()
    for name, batch, purge_request in configured:
        for start in range(0, len(tags), batch):
            try:
                with urllib.request.urlopen(  # noqa: S310 (built above, from settings)
                    purge_request(tags[start : start + batch]), timeout=PURGE_TIMEOUT_SECONDS
                ):
                    pass
            except OSError as error:
                logger.warning("edge purge at %s failed: %s", name, error)
                failed.append(name)
                break
    if failed:
        raise PurgeFailed(f"{len(failed)} of {len(configured)} edges not purged")
    return len(tags)


def purge_edges_on_commit(sender, tags, **kwargs):
    """``tags_invalidated`` receiver: purge the edges from a worker, never in the request."""
    if tags and edges():
        enqueue_on_commit(purge_tags, sorted(tags))
