"""Newsroom settings, read from the environment (the default: ``newsroom.settings.base``).

Every value has a safe default for local use; production (``DEBUG`` off) refuses to
start without a real ``SECRET_KEY``. See the "Configuration" table in README.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

# newsroom/settings/base.py: three levels up is the project root (manage.py, templates/).
BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default=""):
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
# The DEBUG page and the mail to ADMINS, able to describe an unreadable query string.
DEFAULT_EXCEPTION_REPORTER = "newsroom.error_reports.ExceptionReporter"

SECRET_KEY = os.environ.get("SECRET_KEY", "")
SECRET_KEY_MISSING = not SECRET_KEY
if SECRET_KEY_MISSING:
    # A fresh key per process, so offline commands (check, makemigrations, migrate) and
    # DEBUG runs work in a bare checkout. Serving with DEBUG off refuses to start without a
    # real key (newsroom/wsgi.py), and `check --deploy` fails (newsroom/checks.py).
    SECRET_KEY = "unset-" + secrets.token_urlsafe(50)

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "newsroom.apps.TagsConfig",  # taggit, named for editors (newsroom/apps.py)
    "django_ckeditor_5",
    "imagekit",
    "reversion",
    "core.apps.CoreConfig",
    "newsroom",
    "articles",
    "comments",
    "wordpress",
    "insights",
    "newsletters",
    "csp",
    "newsroom.apps.LoginSecurityConfig",  # axes
    "django_otp",
    "newsroom.apps.TwoFactorConfig",  # django_otp.plugins.otp_totp
    "django_tasks",
    "newsroom.apps.BackgroundTasksConfig",  # django_tasks_db
    "demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before LocaleMiddleware, which would send an old WordPress path on to /en/... first.
    "wordpress.middleware.OldAddressMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "newsroom.middleware.ContentSecurityPolicyMiddleware",
    "newsroom.middleware.DatabaseUnavailableMiddleware",
    # Inside the headers' middleware above, so a cached page still gets every header they
    # add, and inside the database-outage page, so cached pages outlive a database outage.
    "newsroom.page_cache.PageCacheMiddleware",
    # Last, as django-axes asks: it turns a locked-out login into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "newsroom.urls"
WSGI_APPLICATION = "newsroom.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "newsroom.context_processors.site",
                "newsroom.context_processors.page_cache_holes",
            ],
        },
    },
]

# The reads' covering indexes carry their counts for PostgreSQL's index-only scans;
# SQLite builds the same indexes on their keys alone, which is all it needs.
SILENCED_SYSTEM_CHECKS = ["models.W040"]
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent writers on SQLite: take the write lock when a transaction starts (no
    # "database is locked" when a reader upgrades to a writer), wait for it up to 20 s,
    # and let readers go on while one writes (WAL).
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "transaction_mode": "IMMEDIATE",
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Pages and fragments in "default", rate-limit counters in "ratelimits" (caches.py says why).
from .caches import CACHES, RATELIMIT_REDIS_URL, RATELIMIT_USE_CACHE, REDIS_URL  # noqa: E402, F401

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
LANGUAGES = [
    ("en", _("English")),
    ("ru", _("Russian")),
    ("az", _("Azerbaijani")),
]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Baku")
USE_I18N = True
USE_TZ = True
# Our own date styles per language (newsroom/formats/<language>/formats.py).
FORMAT_MODULE_PATH = ["newsroom.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Media on the local disk by default; any S3-compatible store when S3_BUCKET is set
# (install the "s3" extra: pip install -e '.[s3]').
S3_BUCKET = os.environ.get("S3_BUCKET", "")
MEDIA_STORAGE = (
    {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": S3_BUCKET,
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("S3_REGION") or None,
            "custom_domain": os.environ.get("S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": False,
            "file_overwrite": False,
            "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
        },
    }
    if S3_BUCKET
    else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
)
# Serve MEDIA_URL from Django itself (development, or a single box without a proxy).
SERVE_MEDIA = env_bool("SERVE_MEDIA", default=DEBUG)
STORAGES = {
    "default": MEDIA_STORAGE,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False  # CKEditor 5 reads the token to upload images.
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
if not DEBUG:
    # HTTPS is terminated by the reverse proxy, which sets X-Forwarded-Proto.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=False)
    if not SECURE_HSTS_PRELOAD:
        # Preloading binds the domain and all its subdomains to HTTPS in browsers for months
        # and is the domain owner's decision (SECURE_HSTS_PRELOAD=1), not a default.
        SILENCED_SYSTEM_CHECKS += ["security.W021"]
    # Off only for plain HTTP on loopback (`make serve`), where browsers drop Secure cookies.
    SESSION_COOKIE_SECURE = env_bool("SECURE_COOKIES", default=True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE

# One JSON object per line per event (python-json-logger), for log collectors. Our own
# log calls never carry emails, addresses or review text (tests/test_security_logs.py).
# One line per event: JSON in production (for log collectors), plain text in development
# (LOG_FORMAT=json|plain overrides). Django's own loggers write through the same handler
# only, so nothing is printed twice.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"},
    },
    "filters": {"request_path_only": {"()": "core.log_filters.RequestPathOnly"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_path_only"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {"django": {"handlers": [], "propagate": True}},
}

# Newsroom
SITE_NAME = os.environ.get("SITE_NAME", "Newsroom")
NEWS_LINE_SIZE = 10
# Hosts whose iframes (video players) survive body sanitising.
EMBED_HOSTS = env_list("EMBED_HOSTS", "www.youtube.com,www.youtube-nocookie.com,player.vimeo.com")

# Images: uploads are refused above these limits (checked from the header). An upload at
# the limits is answered in 2-12 s, renditions included, well inside gunicorn's 30 s
# timeout (measured in docs/performance.md, "Picture uploads"); raise them with the timeout.
IMAGE_MAX_UPLOAD_MB = int(os.environ.get("IMAGE_MAX_UPLOAD_MB", "20"))
IMAGE_MAX_MEGAPIXELS = int(os.environ.get("IMAGE_MAX_MEGAPIXELS", "40"))
# django-imagekit never makes or checks for a rendition on a reader's request (the
# Optimistic strategy): a worker writes them after an image is saved, and the image row
# records which exist (articles/images.py).
IMAGEKIT_DEFAULT_CACHEFILE_STRATEGY = "imagekit.cachefiles.strategies.Optimistic"
IMAGEKIT_CACHEFILE_DIR = "renditions"

# django-taggit: tag names are case-insensitive, so "Economy" and "economy" are one tag.
TAGGIT_CASE_INSENSITIVE = True
# Its parser, on tag input without control characters (articles/text.py).
TAGGIT_TAGS_FROM_STRING = "articles.text.tags_from_string"

# CKEditor 5 (django-ckeditor-5): its toolbar and content styles, in editor.py.
from .editor import *  # noqa: E402, F403

# Reader reviews (the ``comments`` app). See the "Configuration" table in README.md.
COMMENTS_CLOSE_AFTER_DAYS = int(os.environ.get("COMMENTS_CLOSE_AFTER_DAYS", "14"))
COMMENTS_REPORTS_TO_HOLD = int(os.environ.get("COMMENTS_REPORTS_TO_HOLD", "3"))
COMMENTS_PER_PAGE = int(os.environ.get("COMMENTS_PER_PAGE", "50"))
# The privacy notice linked beside the review form's email field; "%(language)s" is the
# reader's language. The editors' own pages (issue 17) may move it: point this there.
PRIVACY_URL = os.environ.get("PRIVACY_URL", "/%(language)s/privacy/")
COMMENTS_PURGE_REJECTED_AFTER_DAYS = int(
    os.environ.get("COMMENTS_PURGE_REJECTED_AFTER_DAYS", "90")
)
# Empty: a key derived from SECRET_KEY. Changing it makes old IP hashes (and IP bans) unmatched.
COMMENTS_IP_HASH_KEY = os.environ.get("COMMENTS_IP_HASH_KEY", "")
# The hour (0-23, in TIME_ZONE) the pending-review digest goes to moderators each day.
MODERATION_DIGEST_HOUR = int(os.environ.get("MODERATION_DIGEST_HOUR", "8"))
# Addresses (or networks) of our own reverse proxies: only they may set X-Forwarded-For.
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
# Where moderators' emails come from; digests and alerts go to the "Moderators" group.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
# Emails are sent by task workers: a mail server that hangs frees the worker after this
# many seconds and the task is tried again later (core/tasks.py).
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
# Absolute address of the site, for links in emails to moderators.
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000")

# Full-page cache for anonymous readers (newsroom/page_cache.py). 0 turns it off.
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "300"))
# What is deployed (a commit id, a version): cached pages and fragments of another release
# are never served. Unset, the templates' own state stands in (core/fragments.py).
RELEASE = os.environ.get("RELEASE", "")
# Fragments of pages (core/fragments.py: a story's text, its reviews, cards) kept this
# long at most; a change to what they show drops them at once. 0 turns them off.
FRAGMENT_CACHE_SECONDS = int(os.environ.get("FRAGMENT_CACHE_SECONDS", "3600"))
# Search ranks the newest this many matches of a query (articles/search.py says why).
SEARCH_MAX_MATCHES = int(os.environ.get("SEARCH_MAX_MATCHES", "500"))
# Under a story: the editors' related links first, then automatic suggestions fill the
# list up to this many (articles/related.py).
RELATED_STORIES_LIMIT = int(os.environ.get("RELATED_STORIES_LIMIT", "4"))
# Headers with a cached page's tags for edges: xkey, Surrogate-Key, Cache-Tag.
CACHE_TAG_HEADERS = [
    name.strip()
    for name in os.environ.get("CACHE_TAG_HEADERS", "xkey").split(",")
    if name.strip() in {"xkey", "Surrogate-Key", "Cache-Tag"}
]
# How long browsers may reuse a page without asking; they revalidate with ETag after it.
PAGE_CACHE_BROWSER_SECONDS = int(os.environ.get("PAGE_CACHE_BROWSER_SECONDS", "0"))
# Edge purges (core/cdn.py): by tag to EDGE_PURGE_URLS; by address to CDN_PURGE_URL's {url}.
CDN_PURGE_URL = os.environ.get("CDN_PURGE_URL", "")
CDN_PURGE_METHOD = os.environ.get("CDN_PURGE_METHOD", "PURGE")
EDGE_PURGE_URLS = env_list("EDGE_PURGE_URLS")
# Purges by tag through Fastly's or Cloudflare's API, when their service or zone is set.
FASTLY_SERVICE_ID = os.environ.get("FASTLY_SERVICE_ID", "")
FASTLY_API_TOKEN = os.environ.get("FASTLY_API_TOKEN", "")
FASTLY_API_URL = os.environ.get("FASTLY_API_URL", "https://api.fastly.com")
CLOUDFLARE_ZONE_ID = os.environ.get("CLOUDFLARE_ZONE_ID", "")
CLOUDFLARE_API_TOKEN = os.environ.get("CLOUDFLARE_API_TOKEN", "")
CLOUDFLARE_API_URL = os.environ.get("CLOUDFLARE_API_URL", "https://api.cloudflare.com/client/v4")
# `make bench` only: serve demo.urls, the site plus the constant reference page
# (demo.views.bench_reference). A setting names the module; the project never imports demo.
BENCH_REFERENCE = env_bool("BENCH_REFERENCE", default=False)
if BENCH_REFERENCE:
    ROOT_URLCONF = "demo.urls"
# Security (issue 8). See the "Security" section of README.md.
# Content Security Policy (django-csp 4). Reader pages run only the site's own scripts and
# styles; the admin adds what CKEditor 5 needs (``ADMIN_CSP_UPDATE``, applied by
# newsroom.middleware.ContentSecurityPolicyMiddleware to /admin/, editor uploads included).
CSP_VIOLATIONS_URL = os.environ.get("CSP_VIOLATIONS_URL", "/csp-report/")
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "media-src": ["'self'"],
        # Video players embedded in story bodies (the hosts nh3 lets through).
        "frame-src": ["'self'", *(f"https://{host}" for host in EMBED_HOSTS)],
        "frame-ancestors": ["'none'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "report-uri": [CSP_VIOLATIONS_URL],
    }
}
# CKEditor 5 injects its own <style> elements and sets inline styles on its UI, and reads
# pasted or dropped pictures as blob:/data: URLs. It needs no inline script and no eval.
ADMIN_CSP_UPDATE = {"style-src": ["'unsafe-inline'"], "img-src": ["blob:"]}
ADMIN_CSP_PREFIXES = ("/admin/",)

# Admin login lockout (django-axes): 5 failures for one username from one address lock that
# pair out for AXES_COOLOFF_HOURS; `manage.py axes_reset_username NAME` (or deleting the
# "Access attempt" in the admin) unlocks it sooner.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_COOLOFF_TIME = int(os.environ.get("AXES_COOLOFF_HOURS", "1"))
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "newsroom.views.login_locked_out"
# The same notion of "the client's address" as reviews: X-Forwarded-For only from our proxies.
AXES_CLIENT_IP_CALLABLE = "core.readers.client_ip"
# Axes would log usernames and addresses on every attempt; attempts are in the admin instead.
AXES_VERBOSE = False

# While the shared cache is unreachable, rate limits are lifted rather than refusing every
# reader (django-ratelimit would fail closed); the database-backed defences (form stamp,
# duplicates, bans, pre-moderation) still apply.
RATELIMIT_FAIL_OPEN = True
# Public POSTs that are not reviews: (rate, per address), answered with 429 and Retry-After.
RATE_LIMIT_REPORTS = os.environ.get("RATE_LIMIT_REPORTS", "5/m")
RATE_LIMIT_BEACON = os.environ.get("RATE_LIMIT_BEACON", "60/m")
RATE_LIMIT_CSP_REPORTS = os.environ.get("RATE_LIMIT_CSP_REPORTS", "30/m")
# Newsletters: docs/newsletters.md says what each of these does.
RATE_LIMIT_NEWSLETTER_SUBSCRIBE = os.environ.get("RATE_LIMIT_NEWSLETTER_SUBSCRIBE", "5/h")
NEWSLETTER_BATCH_SIZE = int(os.environ.get("NEWSLETTER_BATCH_SIZE", "200"))
NEWSLETTER_RATE_PER_MINUTE = int(os.environ.get("NEWSLETTER_RATE_PER_MINUTE", "600"))
NEWSLETTER_POSTAL_ADDRESS = os.environ.get("NEWSLETTER_POSTAL_ADDRESS", "1 Example Street, Baku")
# The bearer token the mail provider's bounce webhook sends; empty: the webhook refuses all.
NEWSLETTER_BOUNCE_SECRET = os.environ.get("NEWSLETTER_BOUNCE_SECRET", "")
# How long a reader is asked to wait when the database is unreachable (503 page).
DATABASE_RETRY_AFTER = 30

# Background work (core/tasks.py; workers in docs/deploy.md): Django's task API through
# django-tasks. The database backend (django-tasks-db) needs no service of its own, runs on
# SQLite and PostgreSQL, and lets workers on several machines share one PostgreSQL
# (SELECT ... FOR UPDATE SKIP LOCKED). TASKS_BACKEND=rq queues in Redis instead
# (django-tasks-rq, for outlets that run Redis already; workers: `manage.py rqworker`).
TASKS_BACKEND = os.environ.get("TASKS_BACKEND", "database")
# Defined whether or not RQ is chosen: django-imagekit imports django-rq when it is installed.
RQ_QUEUES = {
    "default": {"URL": os.environ.get("RQ_REDIS_URL", REDIS_URL or "redis://127.0.0.1:6379/2")}
}
if TASKS_BACKEND == "rq":
    INSTALLED_APPS += ["django_rq", "django_tasks_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
else:
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# /healthz answers 503 once the oldest task waiting for a worker is older than this (s).
TASKS_MAX_QUEUE_AGE = int(os.environ.get("TASKS_MAX_QUEUE_AGE", "300"))
# Live coverage (articles/live.py): how often a live page asks for updates; how long
# shared caches (an edge cache, a CDN) may keep the answer and the live page.
LIVE_POLL_SECONDS = int(os.environ.get("LIVE_POLL_SECONDS", "20"))
LIVE_SHARED_CACHE_SECONDS = int(os.environ.get("LIVE_SHARED_CACHE_SECONDS", "5"))
