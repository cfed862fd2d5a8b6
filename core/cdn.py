"""Optional CDN purge, the generic half: ask a CDN in front of the site to drop pages.

Off unless ``CDN_PURGE_URL`` is set. Our own page cache needs no purge (its keys carry
the content version); a CDN holds pages for ``s-maxage`` and learns of a change only
from this. Which pages a change touches is the apps' business (``articles.cdn``); this
module sends the requests, from a task (``purge_paths``): never inside the editor's
request, retried with backoff while the CDN does not answer (core/tasks.py).
"""

import logging
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django_tasks import task

from .tasks import enqueue_on_commit, retried

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 5


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
