"""Uploaded pictures served by Django itself, when ``SERVE_MEDIA`` is on.

For development (``DEBUG``) and ``make serve`` on one machine. A real deployment serves
``MEDIA_URL`` from the web server or the object store's CDN and never reaches this view
(docs/deploy.md). WhiteNoise cannot do it: it indexes its files when the app starts, and
pictures are uploaded afterwards.
"""

from django.conf import settings
from django.http import Http404
from django.views import static


def serve_media(request, path):
    if not settings.SERVE_MEDIA:
        raise Http404
    try:
        # static.serve() refuses paths leaving MEDIA_ROOT and sets the content type from
        # the extension (articles.images keeps the detected format's).
        return static.serve(request, path, document_root=settings.MEDIA_ROOT)
    except OSError as error:
        # A name too long for the file system (ENAMETOOLONG), or one it cannot read,
        # is a file we do not have: 404, not a server error.
        raise Http404 from error
