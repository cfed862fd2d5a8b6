"""The people behind a story: contributors, and their bylines on stories."""

import reversion
from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.cache import CacheTagged
from core.constraints import one_of

from .images import Image


class Contributor(CacheTagged, models.Model):
    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    bio = models.TextField(_("biography"), blank=True)
    photo = models.ForeignKey(
        Image, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("photo")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("staff account"),
        help_text=_("Links the contributor to a login, so their own stories can be found."),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("contributor")
        verbose_name_plural = _("contributors")

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("articles:author", kwargs={"slug": self.slug})

    def shown_tags(self):
        # Their name and photo; the stories they wrote are ``author:<id>`` (their page).
        return (f"contributor:{self.pk}",)

    def changed_tags(self):
        return (f"contributor:{self.pk}", f"author:{self.pk}")


class BylineRole(models.TextChoices):
    REPORTER = "reporter", _("Reporter")
    EDITOR = "editor", _("Editor")
    TRANSLATOR = "translator", _("Translator")
    PHOTOGRAPHER = "photographer", _("Photographer")
    VIDEO_PRODUCER = "video", _("Video producer")


class Byline(models.Model):
    Role = BylineRole

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="bylines")
    contributor = models.ForeignKey(
        Contributor,
        on_delete=models.PROTECT,
        related_name="bylines",
        verbose_name=_("contributor"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices, default=Role.REPORTER)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("byline")
        verbose_name_plural = _("bylines")
        constraints = [
            models.UniqueConstraint(
                fields=["article", "contributor", "role"], name="byline_unique_role"
            ),
            one_of("role", BylineRole.values, "byline_role_valid"),
        ]

    def __str__(self):
        return f"{self.contributor} ({self.get_role_display()})"

    @property
    def credit_phrase(self):
        """How the role reads before a name on the story page: "Reported by"."""
        return {
            self.Role.REPORTER: _("Reported by"),
            self.Role.EDITOR: _("Edited by"),
            self.Role.TRANSLATOR: _("Translated by"),
            self.Role.PHOTOGRAPHER: _("Photographs by"),
            self.Role.VIDEO_PRODUCER: _("Video by"),
        }[self.role]


reversion.register(Byline)
