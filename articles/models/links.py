"""Related content under a story: the editors' links (our stories in any language, or
other sites), then the stories suggested automatically (``articles.related``)."""

import reversion
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _

from core.constraints import one_of

from .visibility import published_q


class RelatedLinkQuerySet(models.QuerySet):
    def visible(self):
        """External links, and links to stories readers may see (in any language)."""
        return self.filter(Q(target_article__isnull=True) | published_q("target_article__"))


class RelatedLinkKind(models.TextChoices):
    STORY = "story", _("Story")
    VIDEO = "video", _("Video")
    PROGRAMME = "programme", _("Programme")
    INTERVIEW = "interview", _("Interview")
    EXTERNAL = "external", _("External")


class RelatedLink(models.Model):
    Kind = RelatedLinkKind

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="related_links")
    position = models.PositiveSmallIntegerField(_("position"), default=0)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices, default=Kind.STORY)
    target_article = models.ForeignKey(
        "Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="inbound_links",
        verbose_name=_("story"),
        help_text=_("A story of ours, in any language..."),
    )
    url = models.URLField(_("external address"), blank=True, help_text=_("...or another site."))
    title = models.CharField(
        _("title"),
        max_length=255,
        blank=True,
        help_text=_("Shown to readers. Left empty, the story's headline is used."),
    )

    objects = RelatedLinkQuerySet.as_manager()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name = _("related link")
        verbose_name_plural = _("related content")
        constraints = [
            models.CheckConstraint(
                condition=(Q(target_article__isnull=False) & Q(url=""))
                | (Q(target_article__isnull=True) & ~Q(url="")),
                name="relatedlink_story_or_url",
                violation_error_message=_("Link either to one of our stories or to an address."),
            ),
            one_of("kind", RelatedLinkKind.values, "relatedlink_kind_valid"),
        ]

    def __str__(self):
        return self.display_title

    @property
    def href(self):
        return self.target_article.get_absolute_url() if self.target_article_id else self.url

    @property
    def display_title(self):
        if self.title:
            return self.title
        return self.target_article.headline if self.target_article_id else self.url

    @property
    def is_external(self):
        return not self.target_article_id

    @property
    def target_language(self):
        """The target story's language, when it differs from the story linking to it."""
        if self.target_article_id and self.target_article.language != self.article.language:
            return self.target_article.language
        return None


reversion.register(RelatedLink)


class SuggestedStory(models.Model):
    """A story suggested under another, best first (``rank`` 1), stored by a worker
    (``articles.related``) and never worked out on a reader's request. The story page
    reads them with ``published_q()`` again, so a story unpublished since is not shown."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="suggestions")
    story = models.ForeignKey(
        "Article",
        on_delete=models.CASCADE,
        related_name="suggested_under",
        verbose_name=_("suggested story"),
    )
    rank = models.PositiveSmallIntegerField(_("rank"))
    score = models.FloatField(_("score"))

    class Meta:
        ordering = ["article", "rank"]
        verbose_name = _("suggested story")
        verbose_name_plural = _("suggested stories")
        constraints = [
            models.UniqueConstraint(fields=["article", "story"], name="suggestion_once"),
            models.UniqueConstraint(fields=["article", "rank"], name="suggestion_rank_once"),
            models.CheckConstraint(
                condition=~Q(article=models.F("story")), name="suggestion_not_itself"
            ),
        ]

    def __str__(self):
        return f"{self.article_id} → {self.story_id} (#{self.rank})"


class RelatedContentQuerySet(models.QuerySet):
    def translations_and_suggestions(self, article):
        """``article``'s other language versions and the stories suggested under it
        (``SuggestedStory``), each with its ``suggestion_rank`` (None on a translation),
        in one query: the story page's budget has room for one. A suggestion its editors
        excluded after it was stored is left out here already."""
        suggested = SuggestedStory.objects.filter(article=article).exclude(
            story__excluded_by=article
        )
        rank = suggested.filter(story=OuterRef("pk")).values("rank")[:1]
        translations = (
            self.model.objects.filter(translation_group=article.translation_group)
            .exclude(pk=article.pk)
            .order_by()
            .values("pk")
        )
        in_language = suggested.filter(story__language=article.language).order_by().values("story")
        # One set of ids, found through indexes (the translation group's, the suggestions'),
        # and the rank worked out for the rows found only: an OR of the two conditions would
        # read every story of the language.
        return self.annotate(suggestion_rank=Subquery(rank)).filter(
            pk__in=translations.union(in_language)
        )


class RelatedContent(models.Model):
    """The part of ``Article`` that says which stories are never suggested under it
    (``articles.related``); the suggestions themselves are ``SuggestedStory`` rows."""

    excluded_suggestions = models.ManyToManyField(
        "Article",
        blank=True,
        related_name="excluded_by",
        verbose_name=_("never suggest"),
        help_text=_("Stories never to suggest automatically under this one."),
    )

    class Meta:
        abstract = True
