"""The image library: one entry per picture (found again by its content's hash), with
alt text, caption and credit per language and a focal point."""

import hashlib

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.cache import CacheTagged
from core.tasks import enqueue_on_commit

from ..body_pictures import picture_names
from ..images import make_renditions, renditions_pending


def content_hash(file):
    """SHA-256 of a file's bytes, read in chunks."""
    digest = hashlib.sha256()
    closed = file.closed  # a file just written to the storage, say
    if closed:
        file.open("rb")
    try:
        for chunk in file.chunks():
            digest.update(chunk)
    finally:
        if closed:
            file.close()
    return digest.hexdigest()


class ImageQuerySet(models.QuerySet):
    def in_body(self, body):
        """The library images a story's body shows (one query; none without a picture)."""
        names = picture_names(body)
        return list(self.filter(file__in=names)) if names else []

    def with_content(self, content):
        """The library entry whose file holds exactly ``content`` (a cleaned upload), or None."""
        return self.filter(content_hash=content_hash(content)).first()

    def unused(self):
        """Pictures no row of any app points at (a story's lead or body, a contributor's
        photo, whatever a later app adds), read from the relations themselves."""
        unused = self
        for relation in self.model._meta.get_fields(include_hidden=True):
            if relation.auto_created and (relation.one_to_many or relation.one_to_one):
                column = relation.field.attname
                pointing = relation.related_model._base_manager.filter(
                    **{f"{column}__isnull": False}
                )
                unused = unused.exclude(pk__in=pointing.values(column))
        return unused

    def get_or_create_from_upload(self, content, *, user, uploaded_for=""):
        """``(image, created)``: the entry already holding this picture, or a new one.

        Two uploads of one picture at the same moment meet the unique hash: the second
        gets the first's entry."""
        existing = self.with_content(content)
        if existing is not None:
            return existing, False
        image = self.model(
            title=content.name.rsplit(".", 1)[0], uploaded_by=user, uploaded_for=uploaded_for
        )
        image.file.save(content.name, content, save=False)
        try:
            with transaction.atomic():
                image.save()
        except IntegrityError:
            image.file.delete(save=False)
            return self.get(content_hash=image.content_hash), False
        return image, True


class Image(CacheTagged, models.Model):
    file = models.ImageField(
        _("file"), upload_to="images/%Y/%m/", width_field="width", height_field="height"
    )
    title = models.CharField(_("title"), max_length=200, blank=True)
    alt_text = models.CharField(
        _("alt text (English)"),
        max_length=250,
        blank=True,
        help_text=_(
            "What the picture shows, for readers who cannot see it. Required before a "
            "story using it as its lead image can be published."
        ),
    )
    alt_text_ru = models.CharField(_("alt text (Russian)"), max_length=250, blank=True)
    alt_text_az = models.CharField(_("alt text (Azerbaijani)"), max_length=250, blank=True)
    caption = models.CharField(_("caption (English)"), max_length=400, blank=True)
    caption_ru = models.CharField(_("caption (Russian)"), max_length=400, blank=True)
    caption_az = models.CharField(_("caption (Azerbaijani)"), max_length=400, blank=True)
    credit = models.CharField(_("credit (English)"), max_length=200, blank=True)
    credit_ru = models.CharField(_("credit (Russian)"), max_length=200, blank=True)
    credit_az = models.CharField(_("credit (Azerbaijani)"), max_length=200, blank=True)
    focal_x = models.FloatField(
        _("focal point x"), default=0.5, help_text=_("0 is the left edge, 1 the right edge.")
    )
    focal_y = models.FloatField(
        _("focal point y"), default=0.5, help_text=_("0 is the top edge, 1 the bottom edge.")
    )
    width = models.PositiveIntegerField(_("width"), editable=False, default=0)
    height = models.PositiveIntegerField(_("height"), editable=False, default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    # SHA-256 of the stored file (pixels we wrote ourselves, so the same upload always
    # hashes the same): an upload of a picture already in the library gets that entry.
    content_hash = models.CharField(
        _("content hash"), max_length=64, blank=True, editable=False, default=""
    )
    # Where an upload in place came from: the story form's key ("new:…" for a story not
    # saved yet, see models/autosaves.py); empty for the library's own uploads.
    # ``manage.py clean_unused_images`` removes what a never-saved story left behind.
    uploaded_for = models.CharField(max_length=40, blank=True, editable=False, default="")
    # Written by the worker only (articles.images.make_renditions): {"source": file name,
    # "focal": [x, y], "made": [[width, ratio, format], ...]}. Pages choose among these
    # files without asking the storage; {} (or another file's record) means none yet.
    renditions = models.JSONField(_("renditions"), default=dict, blank=True, editable=False)

    objects = ImageQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("image")
        verbose_name_plural = _("images")
        constraints = [
            models.CheckConstraint(
                condition=Q(focal_x__gte=0, focal_x__lte=1, focal_y__gte=0, focal_y__lte=1),
                name="image_focal_point_in_frame",
            ),
            models.UniqueConstraint(
                fields=["content_hash"],
                condition=~Q(content_hash=""),
                name="image_one_entry_per_content",
            ),
        ]

    def __str__(self):
        return self.title or self.file.name

    def save(self, *args, **kwargs):
        # Django's width_field/height_field miss files saved with FieldFile.save(save=False).
        if self.file and (not self.file._committed or not (self.width and self.height)):
            self.width, self.height = self.file.width, self.file.height
        if self.file and (not self.file._committed or not self.content_hash):
            digest = content_hash(self.file)
            # A copy from before hashing (the migration hashed the oldest only) stays
            # unhashed, and editable, rather than meet the oldest's unique hash.
            copy = Image.objects.filter(content_hash=digest).exclude(pk=self.pk)
            if not self.file._committed or not copy.exists():
                self.content_hash = digest
        super().save(*args, **kwargs)
        # A worker makes the renditions, so the editor does not wait for them; pages show
        # what was made before until it is done. A stale record written back by a save
        # that raced the worker enqueues another task, which finds the files and
        # records them again.
        if renditions_pending(self):
            enqueue_on_commit(make_renditions, self.pk, self.file.name)

    def text_for(self, field, language):
        """``(text, language)``: the caption or credit (``field``) in ``language``, or, when
        none was written in it, the first written in the newsroom's order of languages
        (the picture's own), with the language it is in, for pages to mark with ``lang``."""
        for code in [language, *(code for code, _name in settings.LANGUAGES)]:
            text = getattr(self, field if code == "en" else f"{field}_{code}", "")
            if text:
                return text, code
        return "", language

    def alt_for(self, language):
        """Alt text in a story's language; English is the fallback for the admin's eyes
        only: a story cannot be published without alt text in its own language."""
        if language == "en":
            return self.alt_text
        return getattr(self, f"alt_text_{language}", "")

    def shown_tags(self):
        return (f"image:{self.pk}",)


def alt_text_errors(lead_image, body, language):
    """The publishing refusals, by form field, of a story with ``lead_image`` and ``body``
    in ``language``: each picture it shows without alt text in that language, by name."""
    errors = {}
    if lead_image and not lead_image.alt_for(language):
        errors["lead_image"] = _(
            "The lead image has no alt text in this story's language. Add it in the image "
            "library before publishing."
        )
    unnamed = [image for image in Image.objects.in_body(body) if not image.alt_for(language)]
    if unnamed:
        errors["body"] = [
            _(
                "The picture “%(picture)s” in the body has no alt text in this story's "
                "language. Add it in the image library before publishing."
            )
            % {"picture": image}
            for image in unnamed
        ]
    return errors
