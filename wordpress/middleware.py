"""Old WordPress addresses answer with a permanent redirect to the story they became.

It stands before ``LocaleMiddleware``, which would otherwise send ``/slug/`` on to
``/en/slug/`` first. It asks the database only for paths the site itself does not answer
(no language prefix and nothing in the URLconf, or under a language prefix once the site
answered 404: a multilingual WordPress's ``/ru/…``), and for ``/?p=<id>``: reader pages
cost no query.
"""

from django.conf import settings
from django.http import HttpResponsePermanentRedirect
from django.urls import Resolver404, resolve

from .models import OldAddress
from .paths import old_path

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}


class OldAddressMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = self.wordpress_path(request)
        if path is not None and (moved := self.moved(path)) is not None:
            return moved
        response = self.get_response(request)
        if response.status_code == 404 and self.under_language(request):
            # A multilingual WordPress (WPML, Polylang) had /ru/2019/05/slug/ too: looked
            # up once the site has said it has no such page, so its own pages cost nothing.
            return self.moved(old_path(request.path_info)) or response
        return response

    def moved(self, path):
        article = OldAddress.objects.story_at(path)
        return (
            None if article is None else HttpResponsePermanentRedirect(article.get_absolute_url())
        )

    def under_language(self, request):
        return request.method in {"GET", "HEAD"} and self.language_prefix(request)

    @staticmethod
    def language_prefix(request):
        return request.path_info.split("/")[1] in LANGUAGE_CODES

    def wordpress_path(self, request):
        if request.method not in {"GET", "HEAD"}:
            return None
        if request.path_info == "/":
            for key in ("p", "page_id"):
                if request.GET.get(key, "").isdigit():
                    return f"/?{key}={request.GET[key]}"
            return None
        if self.language_prefix(request):
            return None  # A reader page (resolve() would only know the active language's).
        try:
            resolve(request.path_info)
        except Resolver404:
            return old_path(request.path_info)
        return None
