from django.conf import settings

from .page_cache import CSRF_HOLE


def site(request):
    """The site chrome itself comes from ``newsroom.chrome`` (``{% chrome %}``)."""
    return {"site_name": settings.SITE_NAME}


def page_cache_holes(request):
    """On a page rendered for the page cache, a placeholder for the reader's CSRF token
    that ``newsroom.page_cache`` fills in per response (it overrides Django's own
    ``csrf_token``, which would bake the first reader's token into everyone's copy)."""
    if getattr(request, "page_cache_holes", False):
        return {"csrf_token": CSRF_HOLE}
    return {}
