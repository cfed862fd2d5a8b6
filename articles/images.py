"""Safe picture uploads and responsive renditions for the newsroom's image library.

Uploads are identified by their content, checked against size limits read from the
header before any pixel is decoded, then re-encoded: the stored file is pixels Pillow
wrote itself, so trailing payloads (a PNG/HTML polyglot) and EXIF/GPS metadata are gone.
It is named for what it is: the detected format's extension, whatever the upload was called.

The limits keep an upload's request well inside gunicorn's timeout while renditions are
still made in it (docs/performance.md, "Picture uploads", has the measured times).
"""

import io
import re
import warnings
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from django_tasks import task
from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from imagekit.utils import get_field_info
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from pilkit.processors import ResizeToFill
from pilkit.utils import open_image, process_image

from core.cache import invalidate_tags
from core.tasks import retried

from .cdn import purge_image_pages

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MARKUP_MARKERS = (b"<script", b"<html", b"<svg", b"<!doctype", b"<?php", b"<iframe", b"<body")
# What a stored name's stem keeps of the uploaded one: what the storage keeps anyway
# (django.utils.text.get_valid_filename, which then turns spaces into underscores).
NAME_UNSAFE = re.compile(r"[^-\w. ]")

# Pillow refuses to decode anything bigger than this; our own header check comes first.
PILImage.MAX_IMAGE_PIXELS = settings.IMAGE_MAX_MEGAPIXELS * 1_000_000


def clean_upload(upload):
    """Validate an uploaded picture and return it re-encoded as a new ``ContentFile``.

    Raises ``ValidationError`` with a message an editor can act on.
    """
    if upload.size > settings.IMAGE_MAX_UPLOAD_MB * 1024 * 1024:
        raise ValidationError(
            _("This file is %(size)s MB; pictures may be at most %(limit)s MB."),
            params={
                "size": round(upload.size / 1024 / 1024, 1),
                "limit": settings.IMAGE_MAX_UPLOAD_MB,
            },
            code="too_big",
        )
    upload.seek(0)
    try:
        # open() reads the header only: format and size are known before decoding.
        with warnings.catch_warnings():
            # Pillow warns about big pictures; the pixel limit below refuses them anyway.
            warnings.simplefilter("ignore", PILImage.DecompressionBombWarning)
            picture = PILImage.open(upload)
        picture_format = picture.format
        width, height = picture.size
    except PILImage.DecompressionBombError as error:
        raise too_many_pixels(error.args[0] if error.args else "") from error
    except ValueError as error:
        # Pillow's limit on text stored in a PNG (PngImagePlugin.MAX_TEXT_CHUNK): an 8 KB
        # file can unpack to megabytes of it, read with the header.
        raise ValidationError(
            _(
                "This picture carries more hidden text (metadata) than we read. Export it "
                "again without metadata."
            ),
            code="metadata",
        ) from error
    except (UnidentifiedImageError, OSError) as error:
        raise ValidationError(
            _("This file is not a picture we accept. Upload a JPEG, PNG, WebP or GIF image."),
            code="not_an_image",
        ) from error
    if picture_format not in ALLOWED_FORMATS:
        raise ValidationError(
            _("%(format)s files are not accepted. Upload a JPEG, PNG, WebP or GIF image."),
            params={"format": picture_format},
            code="format",
        )
    if width * height > settings.IMAGE_MAX_MEGAPIXELS * 1_000_000:
        raise too_many_pixels(f"{width * height / 1_000_000:.1f}".removesuffix(".0"))
    upload.seek(0)
    if any(marker in upload.read().lower() for marker in MARKUP_MARKERS):
        # A file that is both a picture and a web page (a polyglot) is an attack, not a photo.
        raise ValidationError(
            _("This file hides web page code inside the picture and cannot be accepted."),
            code="polyglot",
        )
    try:
        content = reencode(picture, picture_format)
    except (OSError, ValueError, PILImage.DecompressionBombError) as error:
        raise ValidationError(
            _("This picture is damaged and cannot be read. Try exporting it again."),
            code="damaged",
        ) from error
    return ContentFile(content, name=stored_name(getattr(upload, "name", ""), picture_format))


def stored_name(uploaded_name, picture_format):
    """``<stem>.<extension of the detected format>``. The stem never starts or ends with a
    dot: "....", ".png" or "!!!.png" would otherwise be stored as a name the content type
    is guessed from as having no extension at all (``os.path.splitext("....png")`` is
    ``("....png", "")``), and served as ``application/octet-stream``."""
    stem = (uploaded_name or "").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    stem = NAME_UNSAFE.sub("", stem).strip(" .")[:80].rstrip(" .") or "picture"
    return f"{stem}.{ALLOWED_FORMATS[picture_format]}"


def too_many_pixels(megapixels):
    message = _("This picture is %(mp)s megapixels; the limit is %(limit)s. Please resize it.")
    if not megapixels or not megapixels[0].isdigit():
        message = _(
            "This picture has far too many pixels; the limit is %(limit)s megapixels. "
            "Please resize it."
        )
    return ValidationError(
        message,
        params={"mp": megapixels, "limit": settings.IMAGE_MAX_MEGAPIXELS},
        code="too_many_pixels",
    )


def reencode(picture, picture_format):
    """Decode and write the pixels again, applying and then dropping EXIF orientation.

    The encoders' quick settings: PNG's ``optimize`` (zlib at level 9 trying every filter)
    took 74 s for a 40-megapixel picture and WebP's default method 13 s, against 7 s for
    PNG's default level and 2 s for WebP method 2, for files 20% and 9% larger."""
    picture.load()
    picture = ImageOps.exif_transpose(picture)
    out = io.BytesIO()
    if picture_format == "JPEG":
        picture.convert("RGB").save(out, "JPEG", quality=90, optimize=True, progressive=True)
    elif picture_format == "PNG":
        picture.save(out, "PNG")
    elif picture_format == "WEBP":
        picture.save(out, "WEBP", quality=90, method=2)
    else:  # GIF: only the first frame is kept; news pictures are stills.
        if picture.mode not in ("P", "L"):
            picture = picture.convert("P")
        picture.save(out, "GIF")
    return out.getvalue()


# Renditions ---------------------------------------------------------------------------
#
# A worker makes them (``make_renditions``), never the editor's save and never a reader's
# request. The image row records what the worker has written (``Image.renditions``), so a
# page picks among files that exist without asking the storage: until the worker is done
# it offers what was made before (the crops for the previous focal point) or, for a new
# file, nothing, and the picture tag shows a placeholder. Never the full-size original
# and never the address of a file that is not there.

WIDTHS = (480, 800, 1200, 1600)
RATIOS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}
FORMATS = {
    "webp": ("WEBP", {"quality": 80}),
    "jpeg": ("JPEG", {"quality": 82, "progressive": True}),
}
# What structured data and social cards use: one large crop per ratio.
CARD_WIDTH = 1200
# The static file shown where a picture's renditions are still being made.
PLACEHOLDER = "img/picture-pending.svg"


class Rendition(ImageSpec):
    """One crop of a library image at a width, ratio and format, around a focal point.

    Names are hashes of the source and the processing (focal point included), so a
    rendition's URL never changes while the picture does not, and may be cached for a year.
    """

    def __init__(self, source, *, width, ratio, fmt, focal):
        super().__init__(source)
        image, _attname = get_field_info(source)
        width, height = crop_size(image, width, ratio)
        # The crop is placed so that the focal point keeps the same relative position
        # in the frame as in the picture: it is always inside the crop.
        self.processors = [ResizeToFill(width, height, anchor=focal)]
        self.format, self.options = FORMATS[fmt]
        self.width, self.height = width, height

    def generate(self):
        """ImageSpec's ``generate()``, with a JPEG decoded at the smallest scale (1/2, 1/4
        or 1/8) that still covers the crop: resizing every pixel of a 4000 px photo is
        most of a rendition's work. The name is unchanged: it hashes the source and the
        processing, not how the source is read."""
        closed = self.source.closed
        if closed:
            self.source.open()
        try:
            picture = open_image(self.source)
            picture.draft(picture.mode, (self.width, self.height))
            return process_image(picture, self.processors, self.format, options=self.options)
        finally:
            if closed:
                self.source.close()


def crop_size(image, width, ratio):
    """``(width, height)`` of the crop of ``image`` at ``width`` in ``ratio``: never wider
    than the picture itself."""
    rw, rh = RATIOS[ratio]
    width = min(width, image.width or width)
    return width, max(1, round(width * rh / rw))


@dataclass(frozen=True)
class RenditionFile:
    url: str
    width: int
    height: int
    # The file's name in the media storage (feeds give its size in bytes).
    name: str


def rendition_plan(image):
    """Every rendition an image gets: the lead crop at each width in both formats, and
    one large crop per ratio for cards and structured data."""
    widths = sorted({min(w, image.width) for w in WIDTHS}) if image.width else list(WIDTHS)
    plan = [(w, "16:9", fmt) for w in widths for fmt in FORMATS]
    card_width = min(CARD_WIDTH, image.width or CARD_WIDTH)
    plan += [(card_width, ratio, "jpeg") for ratio in ("4:3", "1:1")]
    return plan


def renditions_record(image):
    """What ``Image.renditions`` says once every planned rendition of the image's file,
    around its focal point, is written."""
    return {
        "source": image.file.name,
        "focal": [image.focal_x, image.focal_y],
        "made": [list(entry) for entry in rendition_plan(image)],
    }


def _made(image):
    """``(focal, [(width, ratio, fmt), ...])``: the renditions written for the image's
    current file (around the focal point they were made for), from the row alone."""
    record = image.renditions or {}
    if not image.file or record.get("source") != image.file.name:
        return None, []  # A new file: what was made belongs to the picture it replaced.
    focal = tuple(float(value) for value in record["focal"])
    return focal, [tuple(entry) for entry in record["made"]]


def _rendition_file(image, width, ratio, fmt, focal):
    spec = Rendition(image.file, width=width, ratio=ratio, fmt=fmt, focal=focal)
    file = ImageCacheFile(spec)
    return RenditionFile(file.url, spec.width, spec.height, file.name)


def rendition(image, *, width, ratio="16:9", fmt="jpeg"):
    """The written rendition of ``image`` in ``ratio`` and ``fmt`` nearest to ``width``
    (the larger one on a tie), or None while none is written."""
    focal, made = _made(image)
    widths = [w for w, r, f in made if r == ratio and f == fmt]
    if not widths:
        return None
    nearest = min(widths, key=lambda w: (abs(w - width), -w))
    return _rendition_file(image, nearest, ratio, fmt, focal)


def card_rendition(image, ratio):
    """The large JPEG crop for cards, feeds and structured data, or None while pending."""
    return rendition(image, width=min(CARD_WIDTH, image.width or CARD_WIDTH), ratio=ratio)


def srcset(image, *, ratio="16:9", fmt="jpeg"):
    """``(srcset, files)``: every written rendition in ``ratio`` and ``fmt``, narrowest
    first (an empty string and list while none is written)."""
    focal, made = _made(image)
    widths = sorted({w for w, r, f in made if r == ratio and f == fmt})
    files = [_rendition_file(image, w, ratio, fmt, focal) for w in widths]
    return ", ".join(f"{f.url} {f.width}w" for f in files), files


def renditions_pending(image):
    """Whether the image's file or focal point has renditions still to be made."""
    focal, _entries = _made(image)
    return bool(image.file) and focal != (image.focal_x, image.focal_y)


def _write_missing(image):
    """Write every planned rendition of ``image`` that the storage does not hold yet, and
    return how many were written."""
    written = 0
    focal = (image.focal_x, image.focal_y)
    for width, ratio, fmt in rendition_plan(image):
        file = ImageCacheFile(
            Rendition(image.file, width=width, ratio=ratio, fmt=fmt, focal=focal)
        )
        # The storage decides, not imagekit's cached state: a worker killed while writing
        # leaves "generating" in the cache for good, and a retry would then skip the file.
        if not file.storage.exists(file.name):
            file.generate(force=True)
            written += 1
    return written


@task()
@retried
def make_renditions(image_id, source_name):
    """Write the renditions of an image's file, then record them on its row.

    Enqueued after commit by ``Image.save()`` whenever the row's record does not match
    its file and focal point. Idempotent: files already in the storage are not written
    again, and the record is set, not added to. A task for a file that has been replaced
    since (or an image deleted since) does nothing: the task the newer file enqueued does
    it. The record is written only where the row still holds this file and the focal
    point the crops were made around, so a slower task never overwrites a newer one's.
    Retried with backoff: the storage may be a remote service having a bad minute.
    """
    # By name: the models import this module (Image.save enqueues this task).
    images = apps.get_model("articles", "Image").objects
    image = images.filter(pk=image_id).first()
    if image is None or image.file.name != source_name:
        return "replaced"
    written = _write_missing(image)
    record = renditions_record(image)
    recorded = images.filter(
        pk=image_id, file=source_name, focal_x=image.focal_x, focal_y=image.focal_y
    ).update(renditions=record)
    if recorded:
        # Pages that showed a placeholder or the previous crops show these now.
        invalidate_tags([f"image:{image.pk}"])
        purge_image_pages(image)
    return f"{written} written"
