"""Fast, isolated settings for the test suite (``make test``): ``newsroom.settings.test``.

Everything from ``base``, then a fast password hasher, local-memory caches (pages and
counters apart, as in ``caches``), the locmem mail backend, temporary media and static
roots and no full-page cache.
"""

import os
import tempfile
from pathlib import Path

os.environ.setdefault("SECRET_KEY", "tests-only-not-a-secret")

from .base import *  # noqa: F403
from .base import DATABASES, STORAGES

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"},
    "ratelimits": {
        "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
        "LOCATION": "tests-ratelimits",
        "OPTIONS": {"MAX_ENTRIES": 100_000},
    },
}
SECURE_SSL_REDIRECT = False
MEDIA_ROOT = tempfile.mkdtemp(prefix="newsroom-test-media-")
STATIC_ROOT = tempfile.mkdtemp(prefix="newsroom-test-static-")
STORAGES = {
    **STORAGES,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SERVE_MEDIA = True
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Tests measure what a page costs to render (query budgets), so the full-page cache is
# off by default; tests/newsroom/test_page_cache.py turns it on where it is the subject.
PAGE_CACHE_SECONDS = 0
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file rather than shared memory, so each live-server thread (tests/security/
    # test_load.py) has its own connection, as on a real SQLite site.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.mkdtemp(prefix="newsroom-test-db-")) / "test.sqlite3")
    }
