"""The publication's own pages: About, Contact, Privacy, Terms and the corrections policy,
one of each per language, written by editors in the admin.

Each kind has a fixed address (``/<language>/<kind>/``), so every page's footer links
to them without a query and ``settings.PRIVACY_URL`` can name the privacy page. The
body is rich text sanitised on save exactly as a story's is (``clean_body``).
"""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import override
from django_ckeditor_5.fields import CKEditor5Field

from core.cache import CacheTagged
from core.constraints import one_of

from ..text import clean_body


class PageKind(models.TextChoices):
    ABOUT = "about", _("About us")
    CONTACT = "contact", _("Contact")
    CORRECTIONS = "corrections", _("Corrections policy")
    PRIVACY = "privacy", _("Privacy")
    TERMS = "terms", _("Terms of use")


class Page(CacheTagged, models.Model):
    Kind = PageKind

    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    kind = models.CharField(
        _("page"),
        max_length=12,
        choices=PageKind,
        help_text=_("Each page has a fixed address, linked from the footer of every page."),
    )
    title = models.CharField(_("title"), max_length=200)
    summary = models.CharField(
        _("summary"), max_length=300, blank=True, help_text=_("For search engines and shares.")
    )
    body = CKEditor5Field(_("body"), blank=True, config_name="default")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["language", "kind"]
        verbose_name = _("page")
        verbose_name_plural = _("pages")
        constraints = [
            models.UniqueConstraint(fields=["language", "kind"], name="page_one_per_language"),
            one_of("kind", PageKind.values, "page_kind_valid"),
            one_of("language", [code for code, _name in settings.LANGUAGES],
                   "page_language_valid"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.language}: {self.title}"

    def save(self, *args, **kwargs):
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        with override(self.language):
            return reverse("articles:page", kwargs={"kind": self.kind})

    def shown_tags(self):
        return (f"page:{self.language}:{self.kind}",)
