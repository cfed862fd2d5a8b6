"""Safe picture uploads and responsive renditions for the newsroom's image library.

Uploads are identified by their content, checked against size limits read from the
header before any pixel is decoded, then re-encoded: the stored file is pixels Pillow
wrote itself, so trailing payloads (a PNG/HTML polyglot) and EXIF/GPS metadata are gone.
It is named for what it is: the detected format's extension, whatever the upload was called.

The limits keep an upload's request well inside gunicorn's timeout while renditions are
still made in it (docs/performance.md, "Picture uploads", has the measured times).
"""

import functools
import io
import math
import re
import warnings
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.utils.translation import gettext_lazy as _
from imagekit import ImageSpec
from imagekit.cachefiles import ImageCacheFile
from imagekit.utils import get_field_info, process_image
from PIL import Image as PILImage
from PIL import ImageOps, UnidentifiedImageError
from pilkit.processors import ResizeToFill

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

WIDTHS = (480, 800, 1200, 1600)
RATIOS = {"16:9": (16, 9), "4:3": (4, 3), "1:1": (1, 1)}
FORMATS = {
    "webp": ("WEBP", {"quality": 80}),
    "jpeg": ("JPEG", {"quality": 82, "progressive": True}),
}
# What structured data and social cards use: one large crop per ratio.
CARD_WIDTH = 1200
# Modes Image.reduce() takes; renditions of any other picture are made from RGBA.
REDUCIBLE_MODES = {"L", "LA", "RGB", "RGBA", "CMYK", "I", "F"}


class Rendition(ImageSpec):
    """One crop of a library image at a width, ratio and format, around its focal point.

    Names are hashes of the source and the processing (focal point included), so a
    rendition's URL never changes while the picture does not, and may be cached for a year.
    """

    def __init__(self, source, *, width, ratio, fmt, decoded=None):
        super().__init__(source)
        # generate_renditions() hands every rendition of a picture one shared decoding.
        self.decoded = decoded
        image, _attname = get_field_info(source)
        width, height = rendition_size(image, width, ratio)
        # The crop is placed so that the focal point keeps the same relative position
        # in the frame as in the picture: it is always inside the crop.
        self.processors = [ResizeToFill(width, height, anchor=(image.focal_x, image.focal_y))]
        self.format, self.options = FORMATS[fmt]
        self.width, self.height = width, height

    def generate(self):
        if self.decoded is None:
            return super().generate()
        return process_image(
            self.decoded(),
            processors=self.processors,
            format=self.format,
            autoconvert=self.autoconvert,
            options=self.options,
        )


def rendition_size(image, width, ratio):
    """A rendition's width and height: never wider than the picture itself."""
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
    """Write every planned rendition that is missing (run when an image is saved).

    The picture is decoded once for all of them, and only at the size the largest one
    needs, not in full once per rendition: for a 40-megapixel JPEG that is 1 s instead of
    8 s (docs/performance.md, "Picture uploads"). Nothing is decoded when all exist."""
    plan = rendition_plan(image)
    decoded = functools.cache(lambda: decode_for_renditions(image, plan))
    for width, ratio, fmt in plan:
        spec = Rendition(image.file, width=width, ratio=ratio, fmt=fmt, decoded=decoded)
        ImageCacheFile(spec).generate()


def decode_for_renditions(image, plan):
    """The picture, shrunk by a whole factor to no less than every planned crop needs
    (JPEG decodes straight at 1/2, 1/4 or 1/8 of its size, see ``Image.draft``)."""
    with image.file.open("rb") as stored:
        picture = PILImage.open(stored)
        full_width, full_height = picture.size
        # ResizeToFill scales the picture until it covers the crop: this is the largest
        # such scale among the renditions, the one the biggest of them is made at.
        sizes = [rendition_size(image, width, ratio) for width, ratio, _fmt in plan]
        scale = max(max(w / full_width, h / full_height) for w, h in sizes)
        needed = (math.ceil(full_width * scale), math.ceil(full_height * scale))
        picture.draft(None, needed)
        picture.load()
    if picture.mode not in REDUCIBLE_MODES:
        # Palette and 1-bit pictures: Pillow would resize them nearest-neighbour.
        picture = picture.convert("RGBA")
    factor = max(1, min(picture.width // needed[0], picture.height // needed[1]))
    return picture.reduce(factor) if factor > 1 else picture


def card_rendition(image, ratio):
    return rendition(image, width=min(CARD_WIDTH, image.width or CARD_WIDTH), ratio=ratio)


def srcset(image, *, ratio="16:9", fmt="jpeg"):
    widths = sorted({min(w, image.width) for w in WIDTHS}) if image.width else list(WIDTHS)
    files = [rendition(image, width=w, ratio=ratio, fmt=fmt) for w in widths]
    return ", ".join(f"{f.url} {f.width}w" for f in files), files
