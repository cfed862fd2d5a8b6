"""Edge purges: ask the caches in front of the site to drop what a change touched.

By tag (``purge_tags``): every ``core.cache.invalidate_tags`` reaches, after commit, each
edge in ``EDGE_PURGE_URLS`` as ``PURGE`` with ``xkey-purge: <tags>`` (Varnish's xkey,
see deploy/varnish/newsroom.vcl and docs/deploy.md). By path (``purge_paths``, off unless
``CDN_PURGE_URL`` is set) for a CDN that only knows addresses; which pages those are is
``articles.cdn``'s business. Both send from a task: never inside the editor's request,
retried with backoff while the edge does not answer (core/tasks.py).
"""

import logging
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django_tasks import task

from .tasks import enqueue_on_commit, retried

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 5
# Tags per purge request: keeps the header well under the edges' header size limits.
TAGS_PER_REQUEST = 50


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


@task()
@retried
def purge_tags(tags):
    """Ask every edge in ``EDGE_PURGE_URLS`` to drop the responses tagged with any of
    ``tags``. Idempotent, so a retry may repeat the edges that did answer."""
    tags = sorted(tags)
    failed = []
    for url in settings.EDGE_PURGE_URLS:
        for start in range(0, len(tags), TAGS_PER_REQUEST):
            request = urllib.request.Request(  # noqa: S310 (the operator's own edge)
                url,
                method="PURGE",
                headers={"xkey-purge": " ".join(tags[start : start + TAGS_PER_REQUEST])},
            )
            try:
                with urllib.request.urlopen(request, timeout=PURGE_TIMEOUT_SECONDS):  # noqa: S310
                    pass
            except OSError as error:
                logger.warning("edge purge at %s failed: %s", url, error)
                failed.append(url)
                break
    if failed:
        raise PurgeFailed(f"{len(failed)} of {len(settings.EDGE_PURGE_URLS)} edges not purged")
    return len(tags)


def purge_edges_on_commit(sender, tags, **kwargs):
    """``tags_invalidated`` receiver: purge the edges from a worker, never in the request."""
    if settings.EDGE_PURGE_URLS and tags:
        enqueue_on_commit(purge_tags, sorted(tags))
