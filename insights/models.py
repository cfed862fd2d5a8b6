"""An editor's word that a translation says what its source says at one revision."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class TranslationCheck(models.Model):
    """The translation was checked against ``source_version`` of its source story: it is
    out of date again only when the source's text changes after that revision."""

    translation = models.OneToOneField(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="translation_check",
        verbose_name=_("translation"),
    )
    source_version = models.ForeignKey(
        "reversion.Version",
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("source revision"),
    )
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("checked by"),
    )
    checked_at = models.DateTimeField(_("checked"), default=timezone.now)

    class Meta:
        verbose_name = _("translation check")
        verbose_name_plural = _("translation checks")

    def __str__(self):
        return f"{self.translation_id} @ {self.source_version_id}"
