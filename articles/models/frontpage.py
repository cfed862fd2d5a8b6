"""The front page as editors arrange it: per language, a lead and a row of top stories,
and optionally a lead for each section front (a slot with a ``section``, position 0).

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


def position_label(position, section=None):
    if section is not None:
        return _("Lead of %(section)s") % {"section": section.display_name}
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
    section = models.ForeignKey(
        "Section",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("section front"),
        help_text=_("Empty: the home page. A section front has a lead only (position 0)."),
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
                fields=["language", "position"],
                condition=Q(section__isnull=True),
                name="frontpageslot_one_per_position",
            ),
            models.UniqueConstraint(
                fields=["language", "section"],
                condition=Q(section__isnull=False),
                name="frontpageslot_one_lead_per_section",
            ),
            # A story fills at most one slot of the home page (it never shows twice) and
            # may also lead its section's front.
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(section__isnull=True),
                name="frontpageslot_story_once",
            ),
            models.UniqueConstraint(
                fields=["article"],
                condition=Q(section__isnull=False),
                name="frontpageslot_story_leads_once",
            ),
            models.CheckConstraint(
                condition=Q(position__lte=TOP_STORIES)
                & (Q(section__isnull=True) | Q(position=LEAD)),
                name="frontpageslot_position_valid",
            ),
            one_of("language", [code for code, _name in settings.LANGUAGES],
                   "frontpageslot_language_valid"),
        ]  # fmt: skip

    def __str__(self):
        return f"{self.language}: {self.label}"

    @property
    def label(self):
        return position_label(self.position, self.section)

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
    section = models.ForeignKey(
        "Section",
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("section front"),
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
        return position_label(self.position, self.section)


def _current_slots(language, section):
    return FrontPageSlot.objects.current().filter(language=language, section=section)


def with_front_position(stories, language, section=None):
    """``stories`` annotated with ``front_position``: the slot each holds now on the home
    page of ``language`` (or on ``section``'s front), ``None`` when it holds none that
    counts."""
    slots = _current_slots(language, section).filter(article=OuterRef("pk"))
    return stories.annotate(front_position=Subquery(slots.values("position")[:1]))


def curated_q(language, section=None):
    """Stories that hold a slot counting now on the home page of ``language`` (or on
    ``section``'s front)."""
    return Q(pk__in=_current_slots(language, section).values("article_id"))
