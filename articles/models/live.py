"""Live coverage: a story's coverage window, its timestamped updates and their record.

``LiveCoverage`` is an abstract part of ``Article`` (its two fields and what they mean),
kept here so that everything about live coverage reads in one place. ``LiveUpdate`` and
``LiveUpdateChange`` name ``Article`` by string, so this module imports no sibling. Readers
see a story's updates where they see the story (``Article.objects.published()``), nowhere else.
Updates are separate rows: journalists posting at the same moment each add their own row
and never touch the story's, so posting needs no edit lock and overwrites nobody.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from core.constraints import one_of

from ..text import clean_body

KEY_EVENTS_SHOWN = 20


class LiveCoverage(models.Model):
    """The coverage window of a story: live from ``live_from``, until ``live_until``."""

    live_from = models.DateTimeField(
        _("live coverage since"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("The story is a live page with updates from this time on."),
    )
    live_until = models.DateTimeField(
        _("live coverage ended"),
        null=True,
        blank=True,
        editable=False,
        help_text=_("Readers are told the coverage has ended; their pages stop checking."),
    )

    class Meta:
        abstract = True

    @property
    def is_live_story(self):
        """Switched to live coverage at some point: the page shows its updates."""
        return self.live_from is not None

    @property
    def is_live_now(self):
        """Coverage is going on: readers' pages check for new updates."""
        now = timezone.now()
        return (
            self.live_from is not None
            and self.live_from <= now
            and (self.live_until is None or self.live_until > now)
        )

    @property
    def live_has_ended(self):
        return self.live_until is not None and self.live_until <= timezone.now()


class LiveUpdateQuerySet(models.QuerySet):
    def for_page(self):
        """Newest first, with what each update shows, in one query however many."""
        return self.select_related("author", "image").order_by("-pk")

    def key_events(self):
        return self.filter(is_key_event=True).order_by("-pk")[:KEY_EVENTS_SHOWN]


class LiveUpdate(models.Model):
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        related_name="live_updates",
        verbose_name=_("story"),
    )
    title = models.CharField(
        _("title"),
        max_length=120,
        blank=True,
        help_text=_("A few words for the key events list; left empty, the first words."),
    )
    body = models.TextField(_("update"))
    image = models.ForeignKey(
        "articles.Image",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("picture"),
    )
    is_key_event = models.BooleanField(
        _("key event"),
        default=False,
        help_text=_("Listed among the key events at the top of the page."),
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(_("time"), default=timezone.now)
    edited_at = models.DateTimeField(_("edited"), null=True, blank=True)

    objects = LiveUpdateQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]
        verbose_name = _("live update")
        verbose_name_plural = _("live updates")
        constraints = [
            models.CheckConstraint(condition=~Q(body=""), name="live_update_has_text"),
        ]
        indexes = [
            # The live page and its polling endpoint: a story's updates, newest first.
            models.Index(fields=["article", "-id"], name="live_update_newest"),
        ]

    def __str__(self):
        return self.headline

    def save(self, *args, **kwargs):
        self.body = clean_body(self.body)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        """Its own page of the story, starting with it (shared links and older pages)."""
        return f"{self.article.get_absolute_url()}?update={self.pk}#update-{self.pk}"

    def clean(self):
        if not strip_tags(clean_body(self.body)).strip() and not self.image_id:
            raise ValidationError({"body": _("Write the update before posting it.")})
        if self.image and not self.image.alt_for(self.article.language):
            raise ValidationError(
                {
                    "image": _(
                        "This picture has no alt text in the story's language. Add it in the "
                        "image library first."
                    )
                }
            )

    @property
    def anchor(self):
        return f"update-{self.pk}"

    @property
    def headline(self):
        return self.title or Truncator(strip_tags(self.body)).words(12)

    @property
    def author_name(self):
        return (self.author.get_full_name() or self.author.username) if self.author else ""


class LiveUpdateAction(models.TextChoices):
    POSTED = "posted", _("Posted")
    EDITED = "edited", _("Edited")
    DELETED = "deleted", _("Deleted")


class LiveUpdateChange(models.Model):
    """The record of every post, edit and deletion, kept after the update is gone."""

    Action = LiveUpdateAction

    article = models.ForeignKey(
        "articles.Article", on_delete=models.CASCADE, related_name="live_update_changes"
    )
    update_pk = models.PositiveBigIntegerField(_("update"))
    action = models.CharField(_("action"), max_length=8, choices=Action.choices)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(_("text at that moment"))
    is_key_event = models.BooleanField(_("key event"), default=False)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("live update change")
        verbose_name_plural = _("live update changes")
        constraints = [
            one_of("action", LiveUpdateAction.values, "live_update_change_action_valid"),
        ]

    def __str__(self):
        return f"{self.get_action_display()} #{self.update_pk}"
