"""Old addresses: every address a story or a section had answers 301 to where it is now.

Both models name their targets by string, so this module sits below ``sections`` and
``stories`` (whose ``save()`` methods record old addresses here).
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .visibility import published_q


class ArticleRedirectQuerySet(models.QuerySet):
    def remember(self, article):
        """Record the address a published story has now, so it keeps working later."""
        self.update_or_create(
            language=article.language,
            section_slug=article.section.slug,
            slug=article.slug,
            defaults={"article": article},
        )

    def moved_story(self, language, section_slug, slug):
        """The published story that once lived at this address, if any."""
        found = (
            self.filter(language=language, section_slug=section_slug, slug=slug)
            .filter(published_q("article__"))
            .select_related("article__section")
            .first()
        )
        return found.article if found else None


class ArticleRedirect(models.Model):
    """An address a story had while published. After a slug or section change the old
    address answers with a permanent redirect to the current one."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="old_urls")
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    section_slug = models.SlugField(_("section slug"), max_length=80)
    slug = models.SlugField(_("slug"), max_length=100)

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta:
        verbose_name = _("old address")
        verbose_name_plural = _("old addresses")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "section_slug", "slug"], name="articleredirect_unique_url"
            ),
        ]

    def __str__(self):
        return f"/{self.language}/{self.section_slug}/{self.slug}/"


class SectionRedirect(models.Model):
    """A slug a section had before it was renamed: addresses under it answer with a
    permanent redirect to the same page under the section's slug now
    (``articles.views.follow_renamed_section``)."""

    old_slug = models.SlugField(_("old slug"), max_length=80, unique=True)
    section = models.ForeignKey(
        "Section", on_delete=models.CASCADE, related_name="old_slugs", verbose_name=_("section")
    )

    class Meta:
        verbose_name = _("old section address")
        verbose_name_plural = _("old section addresses")

    def __str__(self):
        return self.old_slug
