"""Corrections: append-only notes on a story, part of the public record once it is out.

A revert of the story writes its rows back without going through ``save``/``delete``, so
it leaves corrections out altogether (``articles.revisions.REVERTED_RELATIONS``).
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import F, Value
from django.db.models.functions import Greatest
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import CacheTagged
from core.constraints import one_of

from .stories import Article
from .visibility import released_q


class CorrectionKind(models.TextChoices):
    CORRECTION = "correction", _("Correction")
    CLARIFICATION = "clarification", _("Clarification")
    UPDATE = "update", _("Update")


class Correction(CacheTagged, models.Model):
    Kind = CorrectionKind

    article = models.ForeignKey(Article, on_delete=models.CASCADE, related_name="corrections")
    kind = models.CharField(
        _("kind"), max_length=14, choices=Kind.choices, default=Kind.CORRECTION
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = _("correction")
        verbose_name_plural = _("corrections")
        constraints = [
            one_of("kind", CorrectionKind.values, "correction_kind_valid"),
        ]

    def __str__(self):
        return f"{self.get_kind_display()}: {self.text[:60]}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            self.refuse_if_published()
        super().save(*args, **kwargs)
        # A note is an update readers should see: it moves the story's "Updated" time on to
        # the note's own time (never backwards).
        Article.objects.filter(pk=self.article_id).update(
            updated_at=Greatest(F("updated_at"), Value(self.created_at))
        )

    def delete(self, *args, **kwargs):
        self.refuse_if_published()
        return super().delete(*args, **kwargs)

    @property
    def is_locked(self):
        """Once the story is out, its corrections are part of the public record."""
        return (
            self.pk is not None
            and Article.objects.filter(released_q(), pk=self.article_id).exists()
        )

    def refuse_if_published(self):
        if self.is_locked:
            raise PermissionDenied(
                _("Corrections on a published story cannot be changed or deleted.")
            )

    def shown_tags(self):
        return (f"story:{self.article_id}",)


reversion.register(Correction)
