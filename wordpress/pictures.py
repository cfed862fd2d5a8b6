"""WordPress attachments into the image library, from a local copy of ``wp-content/uploads``.

Nothing is downloaded: a picture is read from ``--media-dir`` or not at all. Every file
goes through the library's own upload checks (``articles.images.clean_upload``), so an
imported picture is re-encoded and vetted exactly as an editor's upload is.
"""

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files import File

from articles.images import clean_upload
from articles.models import Image

from .content import picture_key
from .models import ImportedImage


class PictureLibrary:
    """The pictures of one import: ``by_key`` (``content.picture_key`` → (url, alt)) for
    rewriting inline ``<img>``, ``by_id`` (attachment id → (url, alt)) for galleries, and
    ``images`` (attachment id → Image) for featured images."""

    def __init__(self, *, site, media_dir, language, report, dry_run):
        self.site, self.language, self.report, self.dry_run = site, language, report, dry_run
        self.media_dir = Path(media_dir).resolve() if media_dir else None
        self.by_key, self.by_id, self.images = {}, {}, {}
        imported = ImportedImage.objects.filter(site=site).select_related("image")
        for record in imported:
            self.remember(record.wp_id, record.source_url, record.image)

    def remember(self, wp_id, source_url, image):
        entry = (image.file.url if image.file else source_url, image.alt_for(self.language))
        self.by_key[picture_key(source_url)] = entry
        self.by_id[wp_id] = entry
        self.images[wp_id] = image

    def add(self, item):
        """Import one attachment item, unless it was imported before."""
        if item.wp_id in self.images:
            self.report.count("pictures unchanged")
            return
        url = item.attachment_url or item.link
        if not url:
            self.report.skip("pictures", item.wp_id, "the attachment names no file")
            return
        path = self.local_path(url)
        if path is None:
            self.report.skip("pictures", item.wp_id, f"not found in the media folder: {url}")
            return
        try:
            with path.open("rb") as handle:
                content = clean_upload(File(handle, name=path.name))
        except ValidationError as error:
            self.report.skip("pictures", item.wp_id, f"{url}: {' '.join(error.messages)}")
            return
        alt = item.meta.get("_wp_attachment_image_alt", "")[:250]
        image = Image(title=item.title[:200], caption=item.excerpt[:400])
        setattr(image, "alt_text" if self.language == "en" else f"alt_text_{self.language}", alt)
        if not self.dry_run:
            image.file.save(content.name, content, save=False)
            image.save()
            ImportedImage.objects.create(
                site=self.site, wp_id=item.wp_id, image=image, source_url=url[:500]
            )
        self.remember(item.wp_id, url, image)
        self.report.count("pictures imported")

    def local_path(self, url):
        """The file in the media folder for an attachment address, never outside it."""
        if self.media_dir is None:
            return None
        relative = url.split("?", 1)[0]
        relative = relative.split("/uploads/", 1)[1] if "/uploads/" in relative else (
            relative.rsplit("/", 1)[-1])  # fmt: skip
        path = (self.media_dir / relative).resolve()
        if not path.is_relative_to(self.media_dir) or not path.is_file():
            return None
        return path
