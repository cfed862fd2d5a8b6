"""Sections: the desks a story belongs to, in the navigation and in every story's address."""

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.cache import CacheTagged

from .pages import PageKind
from .redirects import SectionRedirect

# First path segments that belong to other pages (see articles/urls.py).
RESERVED_SECTION_SLUGS = {
    "news-line", "tags", "authors", "search", "feed", "beacon", "reviews", "preview",
    "newsletters",
    *PageKind.values,
}  # fmt: skip


def validate_section_slug(value):
    if value in RESERVED_SECTION_SLUGS:
        raise ValidationError(
            _("“%(slug)s” is the address of another page; choose another slug."),
            params={"slug": value},
            code="reserved",
        )


class SectionQuerySet(models.QuerySet):
    def active(self):
        return self.filter(is_active=True)


class Section(CacheTagged, models.Model):
    name = models.CharField(_("name (English)"), max_length=80)
    name_ru = models.CharField(_("name (Russian)"), max_length=80, blank=True)
    name_az = models.CharField(_("name (Azerbaijani)"), max_length=80, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=80,
        unique=True,
        validators=[validate_section_slug],
        help_text=_(
            "Part of the section's and its stories' addresses. If you change it, the old "
            "addresses keep working: they redirect to the new ones."
        ),
    )
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(
        _("position"), default=0, help_text=_("Sections are listed in this order, lowest first.")
    )
    is_active = models.BooleanField(
        _("active"), default=True, help_text=_("Only active sections appear in the navigation.")
    )

    objects = SectionQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name = _("section")
        verbose_name_plural = _("sections")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        stored = Section.objects.filter(pk=self.pk).values_list("slug", flat=True).first()
        with transaction.atomic():
            super().save(*args, **kwargs)
            # A slug in use is nobody's old address (a rename back, or a new section).
            SectionRedirect.objects.filter(old_slug=self.slug).delete()
            if stored and stored != self.slug:
                SectionRedirect.objects.update_or_create(
                    old_slug=stored, defaults={"section": self}
                )

    def get_absolute_url(self):
        return reverse("articles:section", kwargs={"section": self.slug})

    @property
    def display_name(self):
        """The name in the active language, falling back to English."""
        return getattr(self, f"name_{get_language()}", "") or self.name

    def shown_tags(self):
        # Its name and address; the stories it lists are ``section:<id>`` (its page).
        return ("nav",)

    def changed_tags(self):
        return (f"section:{self.pk}", "nav")
