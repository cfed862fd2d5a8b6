"""Tags' languages: which language a tag is written in, and which tag it translates.

django-taggit's ``Tag`` stays the tag (its names are unique across the newsroom, so
"Baku Rapid Open", written alike everywhere, is one tag); this row says the language of
a tag that belongs to one. A tag without it belongs to every language. A story shows
the tags of its own language (and those of every language); "Translate into …" carries a
tag over as its translation in the new language, when the newsroom has one.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from core.constraints import one_of

LANGUAGE_CODES = [code for code, _name in settings.LANGUAGES]


class TagLanguageQuerySet(models.QuerySet):
    def claim(self, tags, language):
        """Give ``tags`` that have no language yet ``language`` (the story's they were
        first typed on); a tag that has one keeps it."""
        self.bulk_create(
            [TagLanguage(tag=tag, language=language) for tag in tags], ignore_conflicts=True
        )

    def translations(self, tags, language):
        """``{tag id: its translation into language}`` for those of ``tags`` that have one
        (one query): tags of one original, the original included, translate one another."""
        rows = {row.tag_id: row for row in self.filter(tag__in=tags)}
        originals = {tag.pk: rows[tag.pk].original_id or tag.pk for tag in tags if tag.pk in rows}
        found = self.filter(
            Q(original__in=originals.values()) | Q(tag__in=originals.values()), language=language
        ).select_related("tag")
        by_original = {row.original_id or row.tag_id: row.tag for row in found}
        return {pk: by_original[o] for pk, o in originals.items() if o in by_original}


class TagLanguage(models.Model):
    tag = models.OneToOneField(
        Tag, on_delete=models.CASCADE, primary_key=True, related_name="language_info"
    )
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    original = models.ForeignKey(
        Tag,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="translated_as",
        verbose_name=_("translation of"),
        help_text=_("The tag this one translates: “Экономика” translates “Economy”."),
    )

    objects = TagLanguageQuerySet.as_manager()

    class Meta:
        verbose_name = _("tag language")
        verbose_name_plural = _("tag languages")
        constraints = [
            one_of("language", LANGUAGE_CODES, "tag_language_valid"),
            models.CheckConstraint(
                condition=~Q(original=models.F("tag")), name="tag_translates_another"
            ),
        ]

    def __str__(self):
        return f"{self.tag} ({self.language})"


def in_language(tags, language):
    """Those of ``tags`` (with ``language_info`` selected) a story in ``language`` shows."""
    shown = []
    for tag in tags:
        try:
            info = tag.language_info
        except TagLanguage.DoesNotExist:
            info = None
        if info is None or info.language == language:
            shown.append(tag)
    return shown
