"""Every address the project answers is one it means (issue 14, item 4).

The reader-facing and service routes are listed here by hand; the admin's are held by the
role matrix (test_admin_matrix.py). A route added by a package or by mistake fails this
test until someone lists it, and so decides it should answer.
"""

import pytest
from django.conf import settings
from django.urls import get_resolver, reverse

from tests.factories import StaffFactory
from tests.security.test_attacks import all_patterns

pytestmark = pytest.mark.django_db

MEANT = {
    "healthz",
    "csp-report/",
    "robots.txt",
    "sitemap.xml",
    "sitemap-<section>.xml",
    "news-sitemap.xml",
    # Machines' addresses, no language: the mail provider's bounce webhook (bearer token)
    # and the open-counting image (only in mail of a newsletter that counts opens).
    "newsletters/bounces/",
    "newsletters/open/<str:token>.gif",
    "en/",
    "en/feed/",
    "en/feed/atom/",
    "en/news-line/",
    "en/search/",
    "en/beacon/<int:pk>/",
    "en/preview/<str:token>/",
    "en/tags/<tagslug:tag>/",
    "en/tags/<tagslug:tag>/feed/",
    "en/tags/<tagslug:tag>/feed/atom/",
    "en/authors/<slug:slug>/",
    "en/authors/<slug:slug>/feed/",
    "en/authors/<slug:slug>/feed/atom/",
    "en/reviews/<int:article_id>/post/",
    "en/reviews/<int:article_id>/token/",
    "en/reviews/<int:comment_id>/report/",
    "en/newsletters/subscribe/",
    "en/newsletters/confirm/<str:token>/",
    "en/newsletters/unsubscribe/<str:token>/",
    "en/newsletters/preferences/<str:token>/",
    "en/<pagekind:kind>/",
    "en/<slug:section>/",
    "en/<slug:section>/feed/",
    "en/<slug:section>/feed/atom/",
    "en/<slug:section>/<slug:slug>/",
    "en/<slug:section>/<slug:slug>/updates/",
    "en/<slug:section>/<slug:slug>/feed/",
    "en/<slug:section>/<slug:slug>/feed/atom/",
}


def test_the_project_answers_only_the_routes_it_means():
    routes = {
        route
        for route, _callback in all_patterns(get_resolver().url_patterns)
        if not route.startswith("admin/")
    }
    # Uploaded pictures: answered only when SERVE_MEDIA is on (newsroom/media.py).
    media = f"^{settings.MEDIA_URL.strip('/')}/(?P<path>.*)$"
    assert routes == MEANT | {media}


@pytest.mark.parametrize("path", ["/ckeditor5/image_upload/", "/ckeditor5/", "/ckeditor5/x/"])
def test_the_ckeditor_packages_own_addresses_are_not_there(client, path):
    """The editor's uploads go to the image library's checked view in the admin; an old
    address is sent to a language prefix like any unknown one, and is not found there."""
    client.force_login(StaffFactory(is_superuser=True))
    assert client.get(path, follow=True).status_code == 404
    assert client.post(path, follow=True).status_code == 404
    assert reverse(settings.CK_EDITOR_5_UPLOAD_FILE_VIEW_NAME).startswith("/admin/")
