"""Safe picture uploads and responsive renditions for the newsroom's image library.

Uploads are identified by their content, checked against size limits read from the
header before any pixel is decoded, then re-encoded: the stored file is pixels Pillow
wrote itself, so trailing payloads (a PNG/HTML polyglot) and EXIF/GPS metadata are gone.
"""

import io
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from imagekit.utils import get_field_info
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from pilkit.processors import ResizeToFill

ALLOWED_FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp", "GIF": "gif"}
MAX_UPLOAD_BYTES = settings.IMAGE_MAX_UPLOAD_MB * 1024 * 1024
MAX_PIXELS = settings.IMAGE_MAX_MEGAPIXELS * 1_000_000

MARKUP_MARKERS = (b"<script", b"<html", b"<svg", b"<!doctype", b"<?php", b"<iframe", b"<body")

# Pillow refuses to decode anything bigger than this; our own header check comes first.
PILImage.MAX_IMAGE_PIXELS = MAX_PIXELS


def clean_upload(upload):
    """Validate an uploaded picture and return it re-encoded as a new ``ContentFile``.

    Raises ``ValidationError`` with a message an editor can act on.
    """
    if upload.size > MAX_UPLOAD_BYTES:
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
    if width * height > MAX_PIXELS:
        raise too_many_pixels(f"{round(width * height / 1_000_000, 1)}")
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
    stem = (getattr(upload, "name", "") or "picture").rsplit("/", 1)[-1].rsplit(".", 1)[0]
    return ContentFile(content, name=f"{stem[:80] or 'picture'}.{ALLOWED_FORMATS[picture_format]}")


def too_many_pixels(megapixels):
    message = _("This picture is %(mp)s megapixels; the limit is %(limit)s megapixels.")
    if not megapixels or not megapixels[0].isdigit():
        message = _("This picture has far too many pixels; the limit is %(limit)s megapixels.")
    return ValidationError(
        message,
        params={"mp": megapixels, "limit": settings.IMAGE_MAX_MEGAPIXELS},
        code="too_many_pixels",
    )


def reencode(picture, picture_format):
    """Decode and write the pixels again, applying and then dropping EXIF orientation."""
    picture.load()
    picture = ImageOps.exif_transpose(picture)
    out = io.BytesIO()
    if picture_format == "JPEG":
        picture.convert("RGB").save(out, "JPEG", quality=90, optimize=True, progressive=True)
    elif picture_format == "PNG":
        picture.save(out, "PNG", optimize=True)
    elif picture_format == "WEBP":
        picture.save(out, "WEBP", quality=90)
    else:  # GIF: only the first frame is kept; news pictures are stills.
        if picture.mode not in ("P", "L"):
            picture = picture.convert("P")
        picture.save(out, "GIF")
    return out.getvalue()


# Renditions ---------------------------------------------------------------------------

WIDTHS = (480, 800, 1200, 1600)
RATIOS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}
FORMATS = {
    "webp": ("WEBP", {"quality": 80}),
    "jpeg": ("JPEG", {"quality": 82, "progressive": True}),
}
# What structured data and social cards use: one large crop per ratio.
CARD_WIDTH = 1200


class Rendition(ImageSpec):
    """One crop of a library image at a width, ratio and format, around its focal point.

    Names are hashes of the source and the processing (focal point included), so a
    rendition's URL never changes while the picture does not, and may be cached for a year.
    """

    def __init__(self, source, *, width, ratio, fmt):
        super().__init__(source)
        image, _attname = get_field_info(source)
        rw, rh = RATIOS[ratio]
        width = min(width, image.width or width)
        height = max(1, round(width * rh / rw))
        # The crop is placed so that the focal point keeps the same relative position
        # in the frame as in the picture: it is always inside the crop.
        self.processors = [ResizeToFill(width, height, anchor=(image.focal_x, image.focal_y))]
        self.format, self.options = FORMATS[fmt]
        self.width, self.height = width, height


@dataclass(frozen=True)
class RenditionFile:
    url: str
    width: int
    height: int
    # The file's name in the media storage (feeds give its size in bytes).
    name: str


def rendition(image, *, width, ratio="16:9", fmt="jpeg"):
    spec = Rendition(image.file, width=width, ratio=ratio, fmt=fmt)
    file = ImageCacheFile(spec)
    return RenditionFile(file.url, spec.width, spec.height, file.name)


def rendition_plan(image):
    """Every rendition an image gets: the lead crop at each width in both formats, and
    one large crop per ratio for cards and structured data."""
    widths = sorted({min(w, image.width) for w in WIDTHS}) if image.width else list(WIDTHS)
    plan = [(w, "16:9", fmt) for w in widths for fmt in FORMATS]
    card_width = min(CARD_WIDTH, image.width or CARD_WIDTH)
    plan += [(card_width, ratio, "jpeg") for ratio in ("4:3", "1:1")]
    return plan


def generate_renditions(image):
    """Write every planned rendition that is missing (run when an image is saved)."""
    for width, ratio, fmt in rendition_plan(image):
        ImageCacheFile(Rendition(image.file, width=width, ratio=ratio, fmt=fmt)).generate()


def card_rendition(image, ratio):
    return rendition(image, width=min(CARD_WIDTH, image.width or CARD_WIDTH), ratio=ratio)


def srcset(image, *, ratio="16:9", fmt="jpeg"):
    widths = sorted({min(w, image.width) for w in WIDTHS}) if image.width else list(WIDTHS)
    files = [rendition(image, width=w, ratio=ratio, fmt=fmt) for w in widths]
    return ", ".join(f"{f.url} {f.width}w" for f in files), files
