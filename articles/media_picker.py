"""The desk's media picker: the library's pictures with thumbnails, searched as one
types, for the story's lead image and for pictures in its body.

``picker`` answers the picker's JSON (``static/js/media-picker.js`` draws the grid); the
upload in place is ``admin_views.ckeditor_upload``, the same checks as every upload. Both
are routed by ``ImageAdmin``. The answer costs one query whatever the library's size: the
newest matching pictures, one page of them, renditions read from their rows.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import JsonResponse
from django.templatetags.static import static

from .images import PLACEHOLDER, rendition
from .models import Image

PICKER_PAGE = 24
SEARCHED = ["title", "alt_text", "alt_text_ru", "alt_text_az", "caption", "caption_ru",
            "caption_az", "credit"]  # fmt: skip


def picker(request, *, model_admin):
    """GET ``?q=`` (words of a title, alt text, caption or credit) and ``language`` (the
    story's, whose alt text is shown and said missing): the newest matching pictures."""
    if not model_admin.has_view_permission(request):
        raise PermissionDenied
    language = request.GET.get("language", "en")
    if language not in dict(settings.LANGUAGES):
        language = "en"
    pictures = Image.objects.exclude(file="")
    for word in request.GET.get("q", "").split()[:5]:
        match = Q()
        for field in SEARCHED:
            match |= Q(**{f"{field}__icontains": word[:100]})
        pictures = pictures.filter(match)
    return JsonResponse({"pictures": [entry(image, language) for image in pictures[:PICKER_PAGE]]})


def entry(image, language):
    thumbnail = rendition(image, width=480, fmt="webp")
    return {
        "id": image.pk,
        "title": str(image),
        "alt": image.alt_for(language),
        # What the body's editor shows while writing; readers get the renditions
        # (articles.body_pictures).
        "url": image.file.url,
        "thumbnail": thumbnail.url if thumbnail else static(PLACEHOLDER),
        "size": f"{image.width}×{image.height}",
    }
