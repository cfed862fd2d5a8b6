"""Helpers the tests share: people in their roles, a reader posting a review, the POSTs an
editor's browser sends from the story form and the image library, and a few probes and
corpora.

Fixtures live in conftest.py files; plain functions live here, so no test module imports
another test module.
"""

import importlib
import itertools
import socket
import time
from collections import Counter
from unittest import mock

from django.apps import apps
from django.contrib.auth.management import create_permissions
from django.contrib.auth.models import Group
from django.contrib.contenttypes.management import create_contenttypes
from django.contrib.contenttypes.models import ContentType
from django.core import signing
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from lxml import etree

from articles.sitemaps import SITEMAPS
from comments.models import Comment
from comments.pipeline import TOKEN_SALT
from tests.factories import StaffFactory


# People ----------------------------------------------------------------------------------
def staff_in_role(username, group):
    """A staff login in one of the newsroom's roles (the groups come from
    ``newsroom/migrations/0002_roles.py``), with the email ``<username>@newsroom.example``."""
    ensure_migrations_data()
    user = StaffFactory(
        username=username, first_name=username.title(), email=f"{username}@newsroom.example"
    )
    user.groups.add(Group.objects.get(name=group))
    return user


# The data migrations' writes (roles, their permissions, the reject reasons), which the flush
# after a transactional test (tests/e2e/, the task workers' tests) takes away; Django's
# flush makes the content types and permissions again, not the rest.
ROLES_DATA = [
    ("newsroom.migrations.0002_roles", "create_roles"),
    ("comments.migrations.0002_moderation_groups", "grant"),
    ("articles.migrations.0009_front_page", "grant"),
    ("newsletters.migrations.0002_editors_send_newsletters", "grant"),
    ("newsletters.migrations.0004_bounces", "grant"),
    ("articles.migrations.0016_site_pages", "grant"),
]
REJECT_REASONS_DATA = ("comments.migrations.0005_reject_reasons", "start_the_list")


def ensure_migrations_data():
    """Put back each part the flush took: the roles (with their permissions), the reject
    reasons. A demo dump loaded after a flush brings the roles but not the reasons."""
    run = [] if Group.objects.exists() else ROLES_DATA
    if not apps.get_model("comments", "RejectReason").objects.exists():
        run = [*run, REJECT_REASONS_DATA]
    if run:
        ensure_permissions()
    for module, function in run:
        getattr(importlib.import_module(module), function)(apps, None)


def ensure_permissions():
    """The dump's groups name their permissions by natural key; after a transactional
    test's flush those rows may not have been recreated yet, so make them first."""
    ContentType.objects.clear_cache()
    for app_config in apps.get_app_configs():
        create_contenttypes(app_config, verbosity=0)
        create_permissions(app_config, verbosity=0)


def logged_in(user):
    client = Client()
    client.force_login(user)
    return client


# A reader posting a review -----------------------------------------------------------------
_addresses = itertools.count(1)


def aged_token(article, seconds=10):
    """The form stamp a reader would have after ``seconds`` of writing."""
    return signing.dumps({"a": article.pk, "t": int(time.time()) - seconds}, salt=TOKEN_SALT)


def post_url(article):
    with translation.override(article.language):
        return reverse("comments:post", kwargs={"article_id": article.pk})


def review_data(article, **overrides):
    data = {
        "author_name": "Nigar",
        "email": "nigar@example.com",
        "body": "Thank you for the clear report.",
        "token": aged_token(article),
        "website": "",
        "parent": "",
    }
    data.update(overrides)
    return data


def post_review(client, article, ip=None, **overrides):
    """POST the review form as a reader from its own address (so rate limits stay apart)."""
    address = ip or f"198.51.100.{next(_addresses) % 250 + 1}"
    return client.post(post_url(article), review_data(article, **overrides), REMOTE_ADDR=address)


# The story form, as an editor's browser posts it ------------------------------------------
INLINES = ["bylines", "related_links", "corrections"]


def local_time(value):
    """A time as the story form's date-and-time controls send it: the newsroom's time."""
    if value is None:
        return ""
    return timezone.localtime(value).strftime("%Y-%m-%dT%H:%M:%S")


def story_form_data(article=None, *, section=None, **changes):
    """The form as it was rendered for ``article`` (or an empty add form), with changes.

    Inline formsets are sent empty (no existing rows touched) unless given in ``changes``.
    """
    data = {
        "language": getattr(article, "language", "en"),
        "headline": getattr(article, "headline", "A new story"),
        "slug": getattr(article, "slug", ""),
        "kicker": getattr(article, "kicker", ""),
        "lead": getattr(article, "lead", ""),
        "body": getattr(article, "body", ""),
        "section": section.pk if section else article.section_id,
        "tags": "",
        "comments_mode": getattr(article, "comments_mode", "premoderated"),
        "lead_image": "",
        "seo_title": "",
        "seo_description": "",
        "workflow_note": "",
        "opened_version": getattr(article, "version", ""),
    }
    for field in ["published_at", "breaking_until"]:
        data[field] = local_time(getattr(article, field, None))
    for prefix in INLINES:
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    data.update(changes)
    return data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


def admin_save(client, article, **changes):
    """Save ``article`` through its change form as ``client``'s user (which keeps a
    revision of it), with ``changes`` to the form as rendered; fails on a refused form."""
    article = type(article).objects.get(pk=article.pk)
    response = client.post(change_url(article), story_form_data(article, **changes))
    assert response.status_code == 302, response.context["adminform"].form.errors
    return response


def revision_url(article, version):
    """The revert screen of one of ``article``'s stored versions (django-reversion)."""
    return reverse("admin:articles_article_revision", args=[article.pk, version.pk])


def recover_url(version):
    return reverse("admin:articles_article_recover", args=[version.pk])


ADD_URL = "/admin/articles/article/add/"


# The image library, as an editor's browser posts to it ----------------------------------
def upload_image(client, name, content, content_type="image/jpeg", image=None, **fields):
    """Post a picture to admin → Images (a new entry, or ``image``'s change form) as
    ``client``'s user, with the fields an editor fills in."""
    data = {
        "file": SimpleUploadedFile(name, content, content_type=content_type),
        "title": "Upload",
        "alt_text": "A test picture",
        "focal_x": "0.5",
        "focal_y": "0.5",
        **fields,
    }
    if image is None:
        return client.post(reverse("admin:articles_image_add"), data)
    return client.post(reverse("admin:articles_image_change", args=[image.pk]), data)


# Background work -------------------------------------------------------------------------
def run_tasks():
    """Run every task that is due with a real database worker, in this process and this
    test's transaction, until none is left (what `manage.py db_worker` does in production).

    The worker closes stale connections between tasks, which inside a test's transaction
    would close the test's own; Django's test client holds the same call off for requests.
    """
    worker = "django_tasks_db.management.commands.db_worker.close_old_connections"
    with mock.patch(worker):
        call_command("db_worker", batch=True, interval=0, startup_delay=False, reload=False,
                     verbosity=0)  # fmt: skip


# Feeds and sitemaps -------------------------------------------------------------------------
def feed_and_sitemap_urls(story):
    """Every feed that lists ``story`` (home, its section, tags and authors; RSS and Atom)
    and every sitemap."""
    with translation.override(story.language):
        feeds = [reverse("articles:feed")]
        feeds.append(reverse("articles:section_feed", kwargs={"section": story.section.slug}))
        feeds += [
            reverse("articles:tag_feed", kwargs={"tag": slug})
            for slug in story.tags.values_list("slug", flat=True)
        ]
        feeds += [
            reverse("articles:author_feed", kwargs={"slug": byline.contributor.slug})
            for byline in story.bylines.select_related("contributor")
        ]
    atom = [feed.replace("/feed/", "/feed/atom/") for feed in feeds]
    sitemaps = [reverse("sitemap", kwargs={"section": name}) for name in SITEMAPS]
    return [*feeds, *atom, reverse("sitemap_index"), *sitemaps, reverse("news_sitemap")]


def parse_xml(response):
    """The response's XML, parsed by a real parser: malformed XML raises."""
    return etree.fromstring(response.content)


# Probes and corpora -------------------------------------------------------------------------
def flood_page_cache(views=400):
    """What a crawler or an attacker does: ``views`` distinct uncached reader pages (a
    campaign parameter makes each address new), each stored in the page cache, which is
    then past its ``MAX_ENTRIES`` (300, Django's default) and culls its oldest entries."""
    reader = Client()
    for view in range(views):
        response = reader.get(f"/en/news-line/?ref={view}")
        assert response.headers.get("X-Page-Cache") == "miss"
    # The flood did evict: its own first page is no longer cached.
    assert reader.get("/en/news-line/?ref=0").headers.get("X-Page-Cache") == "miss"


def closed_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load_test_markers():
    """How many stored reviews carry each run marker ("Load test review <marker>: ...")."""
    return Counter(
        body.split()[3].rstrip(":") for body in Comment.objects.values_list("body", flat=True)
    )


# Stored-XSS payloads tried in reviews (tests/comments/test_security.py) and in every other
# entry point by the browser test (tests/e2e/test_xss.py).
XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<IMG SRC=javascript:alert('XSS')>",
    "<svg onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    "<body onload=alert(1)>",
    '<a href="javascript:alert(1)">click</a>',
    '<a href="jav&#x0D;ascript:alert(1)">click</a>',
    '<a href="jav&#x09;ascript:alert(1)">tab</a>',
    '<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;alert(1)">x</a>',
    "<a href='data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg=='>data</a>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<object data="javascript:alert(1)"></object>',
    '<embed src="javascript:alert(1)">',
    '<div style="background:url(javascript:alert(1))">',
    "<input autofocus onfocus=alert(1)>",
    "<details open ontoggle=alert(1)>",
    "<marquee onstart=alert(1)>",
    "<video><source onerror=alert(1)></video>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "</textarea><script>alert(1)</script>",
    "</p><script>alert(1)</script><p>",
    "<scr<script>ipt>alert(1)</script>",
    "<img src=x onerror=alert(1)//",
    "<<script>alert(1);//<</script>",
    "<svg/onload=alert(1)",
    '<a href="  javascript:alert(1)">spaces</a>',
    '<form action="javascript:alert(1)"><button>x</button></form>',
    '<meta http-equiv="refresh" content="0;url=javascript:alert(1)">',
    "{{ request }}{% debug %}",
    "javascript:alert(document.cookie)",
    '<base href="//evil.example/">',
]
