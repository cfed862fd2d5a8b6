"""Autosaves: what a writer typed in the story form and has not saved yet.

An autosave is the writer's own, one per story (or per new-story form) and person. It is
not a revision and never touches the story: the story changes only when its form is
saved, through the admin's checks, the edit lock and the optimistic lock. Saving the story
removes the writer's autosave of it; one left behind is offered only while it is newer
than the story and stops being offered (and is cleared away) after ``AUTOSAVE_MAX_AGE``.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

AUTOSAVE_MAX_AGE = timedelta(days=7)
NEW_STORY_KEY_PREFIX = "new-"


def story_key(article_id):
    """The client key of an existing story's autosave (a new story's is ``new-<token>``)."""
    return f"story-{article_id}"


class StoryAutosaveQuerySet(models.QuerySet):
    def fresh(self):
        return self.filter(saved_at__gt=timezone.now() - AUTOSAVE_MAX_AGE)

    def expired(self):
        return self.filter(saved_at__lte=timezone.now() - AUTOSAVE_MAX_AGE)

    def offer_for(self, user, article=None):
        """The autosave to offer ``user`` on opening ``article``'s form (or the add form
        when None): newer than the stored story, not expired. One query."""
        mine = self.fresh().filter(user=user)
        if article is None:
            return mine.filter(article=None).order_by("-saved_at").first()
        return mine.filter(
            client_key=story_key(article.pk), saved_at__gt=article.updated_at
        ).first()

    def store(self, *, user_id, client_key, article_id, data):
        """Write the autosave in one statement (insert, or update the one with the same
        key), so an autosave request stays at the session, user and this query."""
        autosave = StoryAutosave(
            user_id=user_id,
            client_key=client_key,
            article_id=article_id,
            data=data,
            saved_at=timezone.now(),
        )
        self.bulk_create(
            [autosave],
            update_conflicts=True,
            unique_fields=["user", "client_key"],
            update_fields=["data", "saved_at"],
        )
        return autosave


class StoryAutosave(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="story_autosaves"
    )
    article = models.ForeignKey(
        "articles.Article",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="autosaves",
        help_text=_("Empty for a story that has not been saved yet."),
    )
    client_key = models.CharField(
        _("key"),
        max_length=40,
        help_text=_("“story-<id>” for a saved story, “new-<token>” for one form of a new story."),
    )
    data = models.JSONField(_("form data"), default=dict)
    saved_at = models.DateTimeField(_("saved at"))

    objects = StoryAutosaveQuerySet.as_manager()

    class Meta:
        verbose_name = _("autosave")
        verbose_name_plural = _("autosaves")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_key"], name="story_autosave_one_per_user_and_key"
            ),
            # A saved story's autosave names the story; a new story's cannot.
            models.CheckConstraint(
                condition=models.Q(
                    article__isnull=True, client_key__startswith=NEW_STORY_KEY_PREFIX
                )
                | models.Q(article__isnull=False, client_key__startswith="story-"),
                name="story_autosave_key_matches_story",
            ),
        ]
        indexes = [
            # The cleanup's filter (expired()).
            models.Index(fields=["saved_at"], name="story_autosave_saved_at"),
        ]

    def __str__(self):
        return f"{self.user} · {self.client_key} · {self.saved_at:%Y-%m-%d %H:%M}"
