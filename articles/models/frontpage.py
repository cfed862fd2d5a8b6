"""The front page as editors arrange it: per language, a lead and a row of top stories.

A slot holds a story until an optional end time. What readers see is decided here, on
the one visibility rule (``published_q()``): a slot whose story readers may not see
(a draft, unpublished, still scheduled) or whose end time has passed simply does not
count, and the latest stories fill its place. So the front page is never empty, never
stale, and never shows a hidden story, with no job to run when a slot ends; the page
cache only has to end with it (``ArticleQuerySet.next_change_at`` includes slot ends).
"""

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.cache import CacheTagged
from core.constraints import one_of

from .visibility import published_q

LEAD = 0
TOP_STORIES = 4
# Position 0 is the lead, 1 to TOP_STORIES the row of top stories beneath it.
POSITIONS = range(LEAD, TOP_STORIES + 1)


def position_label(position):
    if position == LEAD:
        return _("Lead")
    return _("Top story %(number)d") % {"number": position}


class FrontPageSlotQuerySet(models.QuerySet):
    def current(self):
        """Slots that count now: their story is one readers may see and their end time
        (if any) has not come."""
        return self.filter(
            Q(ends_at__isnull=True) | Q(ends_at__gt=timezone.now()), published_q("article__")
        )


class FrontPageSlot(CacheTagged, models.Model):
    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    position = models.PositiveSmallIntegerField(
        _("position"), help_text=_("0 is the lead; 1 to 4 the top stories, left to right.")
    )
    article = models.ForeignKey(
        "Article", on_delete=models.CASCADE, related_name="front_slots", verbose_name=_("story")
    )
    ends_at = models.DateTimeField(
        _("until"),
        null=True,
        blank=True,
        help_text=_("From this time on the latest story takes the slot again. Empty: no end."),
    )
    placed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("placed by"),
    )
    placed_at = models.DateTimeField(_("placed"), default=timezone.now)

    objects = FrontPageSlotQuerySet.as_manager()

    class Meta:
        ordering = ["language", "position"]
        verbose_name = _("front page slot")
        verbose_name_plural = _("front page")
        constraints = [
            models.UniqueConstraint(
                fields=["language", "position"], name="frontpageslot_one_per_position"
            ),
            # A story fills at most one slot: the page never shows it twice.
            models.UniqueConstraint(fields=["article"], name="frontpageslot_story_once"),
            models.CheckConstraint(
                condition=Q(position__lte=TOP_STORIES), name="frontpageslot_position_valid"
            ),
            one_of("language", [code for code, _name in settings.LANGUAGES],
                   "frontpageslot_language_valid"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.language}: {position_label(self.position)}"

    @property
    def label(self):
        return position_label(self.position)

    @property
    def counts(self):
        """Python twin of ``current()`` for a slot in hand."""
        return self.article.is_published and (
            self.ends_at is None or self.ends_at > timezone.now()
        )

    def shown_tags(self):
        return (f"front:{self.language}",)


class FrontPageAction(models.TextChoices):
    PLACED = "placed", _("placed")
    MOVED = "moved", _("moved")
    REMOVED = "removed", _("removed")


class FrontPageChange(models.Model):
    """One change to the front page: who, when, what. Written by the services in
    ``articles.frontpage``, never edited; kept when the story or the editor goes."""

    Action = FrontPageAction

    language = models.CharField(_("language"), max_length=5, choices=settings.LANGUAGES)
    position = models.PositiveSmallIntegerField(_("position"))
    action = models.CharField(_("action"), max_length=8, choices=FrontPageAction)
    article = models.ForeignKey(
        "Article", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("story")
    )
    headline = models.CharField(_("headline"), max_length=255)
    ends_at = models.DateTimeField(_("until"), null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("front page change")
        verbose_name_plural = _("front page changes")
        constraints = [
            one_of("action", FrontPageAction.values, "frontpagechange_action_valid"),
        ]

    def __str__(self):
        return f"{self.get_action_display()}: {self.headline}"

    @property
    def position_label(self):
        return position_label(self.position)


def with_front_position(stories, language):
    """``stories`` annotated with ``front_position``: the slot each holds on the front
    page of ``language`` now (``None`` when it holds none that counts)."""
    slots = FrontPageSlot.objects.current().filter(language=language, article=OuterRef("pk"))
    return stories.annotate(front_position=Subquery(slots.values("position")[:1]))


def curated_q(language):
    """Stories that hold a slot counting now on the front page of ``language``."""
    current = FrontPageSlot.objects.current().filter(language=language)
    return Q(pk__in=current.values("article_id"))
