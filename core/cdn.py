"""Optional CDN purge, the generic half: ask a CDN in front of the site to drop pages.

Off unless ``CDN_PURGE_URL`` is set. Our own page cache needs no purge (its keys carry
the content version); a CDN holds pages for ``s-maxage`` and learns of a change only
from this. Which pages a change touches is the apps' business (``articles.cdn``); this
module only sends the requests, with a short timeout. A CDN that does not answer is
logged and never fails the editor's save.
"""

import logging
import urllib.request
from urllib.parse import quote

from django.conf import settings
from django.db import transaction

logger = logging.getLogger(__name__)

PURGE_TIMEOUT_SECONDS = 2


def purge(paths):
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


def purge_on_commit(paths):
    """Purge ``paths`` once the current transaction commits (when a CDN is configured)."""
    if settings.CDN_PURGE_URL:
        transaction.on_commit(lambda: purge(paths))
