"""Pictures in a story's body: which library images the body shows, and the body as
readers get it, each of those pictures rendered like the lead image.

CKEditor 5 (its upload and the desk's media picker) places a library picture as
``<figure class="image"><img src="<the file's URL>"></figure>``, which is what the
writer sees while writing. Readers never get that URL: the story page swaps each such
picture for the ``<picture>`` of the image's renditions, with the library's alt text in
the story's language, its caption (unless the writer gave the figure one of its own) and
credit. The body is the sanitiser's output (``text.clean_body``), whose attributes are
always double-quoted, so regular expressions read it reliably.
"""

import html
import re

from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

BODY_PICTURE = re.compile(
    r'<figure(?: class="(?P<classes>[^"]*)")?>\s*(?P<figure_img><img\b[^>]*>)\s*'
    r"(?:<figcaption>(?P<caption>.*?)</figcaption>)?\s*</figure>"
    r"|(?P<img><img\b[^>]*>)",
    re.DOTALL,
)
SRC = re.compile(r'\ssrc="([^"]*)"')
# CKEditor's figure styles worth keeping on the reader's page (side, block, inline).
KEPT_CLASSES = re.compile(r"^image-style-[\w-]+$")


def media_prefix():
    return default_storage.url("")


def file_name(src):
    """The storage name of a picture at ``src``, or None for a picture from elsewhere."""
    src, prefix = html.unescape(src), media_prefix()
    return src[len(prefix) :].split("?", 1)[0] if src.startswith(prefix) else None


def picture_names(body):
    """The storage names of the library-looking pictures in ``body``, in order."""
    names = []
    for match in BODY_PICTURE.finditer(body or ""):
        src = SRC.search(match["figure_img"] or match["img"])
        name = file_name(src[1]) if src else None
        if name and name not in names:
            names.append(name)
    return names


def render_body(body, images, language, *, context=None):
    """``body`` with each picture of ``images`` (library entries) as its ``<picture>``
    figure; pictures from elsewhere stay as they are. Safe: the rest is the sanitised
    body and the figures are rendered by a template that escapes what it is given."""
    by_name = {image.file.name: image for image in images}

    def figure(match):
        src = SRC.search(match["figure_img"] or match["img"])
        image = by_name.get(file_name(src[1])) if src else None
        if image is None:
            return match[0]
        classes = [c for c in (match["classes"] or "").split() if KEPT_CLASSES.match(c)]
        own_caption = (match["caption"] or "").strip()
        return render_to_string(
            "includes/body_picture.html",
            {
                "image": image,
                "language": language,
                "classes": " ".join(classes),
                # A picture inside a paragraph stays phrasing content: no figure there.
                "inline": match["img"] is not None,
                # The sanitiser's output, like the rest of the body.
                "own_caption": mark_safe(own_caption),  # noqa: S308
                "request": context.get("request") if context is not None else None,
            },
        ).strip()

    return mark_safe(BODY_PICTURE.sub(figure, body or ""))  # noqa: S308 (see docstring)
