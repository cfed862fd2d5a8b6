"""Writes that touch several rows or models, as keyword-only functions named
``<entity>_<action>``, each in one transaction (the house style from HackSoft's Django
Styleguide). Single-story rules stay on ``Article``; many-story queries on its queryset.

* ``article_transition``: a workflow step, with its permission check, revision and history.
* ``article_translate``: a story's translation started as a draft in another language, in
  the same translation group. The draft carries what does not depend on the language
  (section, tags, lead image, bylines) and the source text as the translator's starting
  point. The translator is not known yet, so the admin asks the user to add them to the
  bylines.
"""

import reversion
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import LANGUAGE_CODES, WORKFLOW_ACTIONS, Article, Byline, WorkflowState


@transaction.atomic
def article_transition(*, article, user, action, note="", published_at=None):
    """Take a workflow step on a story, as ``user``, and record it in its history.

    The permission check lives here, not only in the admin: whatever sends the request,
    a journalist cannot publish. Returns the saved story.
    """
    step = WORKFLOW_ACTIONS[action]
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not step.allows(article, user):
        raise PermissionDenied(
            _("You may not %(action)s this story.") % {"action": str(step.label).lower()}
        )
    now = timezone.now()
    before = article.state
    if step.target in {WorkflowState.SCHEDULED, WorkflowState.PUBLISHED}:
        article.check_publishable()
    if step.target == WorkflowState.SCHEDULED:
        if published_at is None or published_at <= now:
            raise ValidationError(_("Choose a publication time in the future to schedule."))
        article.status, article.published_at = Article.Status.PUBLISHED, published_at
    elif step.target == WorkflowState.PUBLISHED:
        article.status = Article.Status.PUBLISHED
        if article.published_at is None or article.published_at > now:
            article.published_at = now
    else:
        article.status = Article.Status(step.target)
    with reversion.create_revision():
        article.save()
        reversion.set_user(user)
        reversion.set_comment(f"{before.label} → {article.state.label}")
    article.record_state_change(user=user, before=before, note=note)
    return article


class TranslationExists(Exception):
    """The story's group already has a version in that language (``self.article``)."""

    def __init__(self, article):
        super().__init__(article.pk)
        self.article = article


@transaction.atomic
def article_translate(*, article, language, user):
    """Create and return a draft of ``article`` in ``language``, owned by ``user``.

    Refuses (``TranslationExists``) when the group has that language already. The group's
    rows are locked first, so two editors pressing the button at once cannot make two.
    """
    if not user.has_perm("articles.add_article"):
        raise PermissionDenied(_("You may not create stories."))
    if language not in LANGUAGE_CODES:
        raise ValueError(f"Unknown language: {language!r}")
    group = list(
        Article.objects.select_for_update()
        .filter(translation_group=article.translation_group)
        .order_by("pk")
    )
    existing = next((story for story in group if story.language == language), None)
    if existing is not None:
        raise TranslationExists(existing)
    with reversion.create_revision():
        draft = Article.objects.create(
            language=language,
            translation_group=article.translation_group,
            kicker=article.kicker,
            headline=article.headline,
            lead=article.lead,
            body=article.body,
            section=article.section,
            lead_image=article.lead_image,
            comments_mode=article.comments_mode,
            status=Article.Status.DRAFT,
            created_by=user,
        )
        draft.tags.set(list(article.tags.all()))
        Byline.objects.bulk_create(
            Byline(
                article=draft,
                contributor_id=byline.contributor_id,
                role=byline.role,
                position=byline.position,
            )
            for byline in article.bylines.all()
        )
        # Added again now that it has its bylines: the first revision holds them too.
        reversion.add_to_revision(draft)
        reversion.set_user(user)
        reversion.set_comment(
            _("Translation of story #%(pk)s (%(language)s)")
            % {"pk": article.pk, "language": article.language}
        )
    return draft
