"""The editorial workflow: a story's status, the states editors name, the steps between
them and who may take each, and the history of steps taken.

Taking a step is ``articles.services.article_transition``; this module only describes them.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, OuterRef, Q, Subquery
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArticleStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class WorkflowState(models.TextChoices):
    """Where a story stands, as editors say it: a status, plus "scheduled" for a
    published story whose time has not come yet."""

    DRAFT = "draft", _("Draft")
    REVIEW = "review", _("In review")
    SCHEDULED = "scheduled", _("Scheduled")
    PUBLISHED = "published", _("Published")
    UNPUBLISHED = "unpublished", _("Unpublished")


class WorkflowAction:
    """One editorial step: which states it starts from, where it leads, who may take it:
    whoever has ``permission``, and with ``author_may`` the story's own author too (a
    journalist may submit their draft, or withdraw it from review, without the right to
    edit stories in review)."""

    def __init__(self, name, label, sources, target, permission=None, author_may=False):
        self.name, self.label, self.sources, self.target = name, label, sources, target
        self.permission, self.author_may = permission, author_may

    def allows(self, article, user):
        if article.state not in self.sources:
            return False
        if self.permission and user.has_perm(self.permission):
            return True
        return (
            self.author_may
            and article.created_by_id == user.pk
            and user.has_perm("articles.change_article")
        )


_S = WorkflowState
WORKFLOW_ACTIONS = {
    action.name: action
    for action in [
        WorkflowAction("submit", _("Submit for review"), {_S.DRAFT}, _S.REVIEW,
                       "articles.publish_article", author_may=True),
        WorkflowAction("return", _("Return to author"), {_S.REVIEW}, _S.DRAFT,
                       "articles.return_article"),
        WorkflowAction("withdraw", _("Withdraw from review"), {_S.REVIEW}, _S.DRAFT,
                       author_may=True),
        WorkflowAction("publish", _("Publish now"),
                       {_S.DRAFT, _S.REVIEW, _S.SCHEDULED, _S.UNPUBLISHED}, _S.PUBLISHED,
                       "articles.publish_article"),
        WorkflowAction("schedule", _("Schedule"),
                       {_S.DRAFT, _S.REVIEW, _S.SCHEDULED, _S.UNPUBLISHED}, _S.SCHEDULED,
                       "articles.publish_article"),
        WorkflowAction("unpublish", _("Unpublish"), {_S.PUBLISHED, _S.SCHEDULED},
                       _S.UNPUBLISHED, "articles.publish_article"),
    ]
}  # fmt: skip


class StatusChange(models.Model):
    """One step in a story's workflow: who moved it, when, from where to where, and why."""

    article = models.ForeignKey("Article", on_delete=models.CASCADE, related_name="status_changes")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("by"),
    )
    from_state = models.CharField(_("from"), max_length=12, choices=WorkflowState)
    to_state = models.CharField(_("to"), max_length=12, choices=WorkflowState)
    note = models.TextField(_("note"), blank=True)
    published_at = models.DateTimeField(_("publication time"), null=True, blank=True)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        constraints = [
            models.CheckConstraint(
                condition=Q(from_state__in=WorkflowState.values)
                & Q(to_state__in=WorkflowState.values),
                name="statuschange_states_valid",
            ),
        ]

    def __str__(self):
        return f"{self.get_from_state_display()} → {self.get_to_state_display()}"


def returned_q():
    """Stories an editor returned to their author and still waiting for them: a draft
    whose latest step came from review and was not its author's own (a withdrawal)."""
    latest = (
        StatusChange.objects.filter(article=OuterRef(OuterRef("pk")))
        .order_by("-created_at", "-pk")
        .values("pk")[:1]
    )
    returned = StatusChange.objects.filter(
        pk=Subquery(latest), from_state=WorkflowState.REVIEW, to_state=WorkflowState.DRAFT
    ).exclude(user=OuterRef("created_by"))
    return Q(status=ArticleStatus.DRAFT) & Q(Exists(returned))
