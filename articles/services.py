"""Writes that touch several rows or models, as keyword-only functions named
``<entity>_<action>``, each in one transaction (the house style from HackSoft's Django
Styleguide). Single-story rules stay on ``Article``; many-story queries on its queryset.

* ``article_transition``: a workflow step, with its permission check, revision and history.
* ``article_revert`` and ``article_recover``: a story brought back to one of its stored
  revisions, or back from deletion, on the same rules as editing and publishing.
* ``article_add_own_byline``: the author's byline on the story they created, with their
  contributor record made on first use.
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

from .models import (
    LANGUAGE_CODES,
    WORKFLOW_ACTIONS,
    Article,
    Byline,
    Contributor,
    TagLanguage,
    WorkflowState,
)
from .models.tags import in_language
from .notifications import notifications_for_step
from .revisions import (
    RECOVERED_RELATIONS,
    REVERTED_RELATIONS,
    WORKFLOW_FIELDS,
    restore_story,
    revision_note,
    story_versions,
)
from .text import slug_from_headline, unique_slug


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
    notifications_for_step(article=article, step=action, user=user, note=note)
    return article


@transaction.atomic
def article_add_own_byline(*, article, user):
    """Put ``user`` in ``article``'s bylines as its reporter, unless they are bylined
    already, making their contributor record (linked to their account, named as the
    account is) the first time. Returns the byline."""
    contributor = Contributor.objects.filter(user=user).first()
    if contributor is None:
        name = user.get_full_name() or user.get_username()
        contributor = Contributor.objects.create(
            name=name,
            user=user,
            slug=unique_slug(
                slug_from_headline(name) or f"contributor-{user.pk}",
                lambda slug: Contributor.objects.filter(slug=slug).exists(),
            ),
        )
    existing = article.bylines.filter(contributor=contributor).first()
    if existing is not None:
        return existing
    position = max((byline.position for byline in article.bylines.all()), default=-1) + 1
    return Byline.objects.create(
        article=article, contributor=contributor, role=Byline.Role.REPORTER, position=position
    )


@transaction.atomic
def article_revert(*, article, version, user):
    """Bring ``article`` back to one of its own stored versions, as ``user``: its text,
    bylines and related links as they were then (``revisions.restore_story``). Returns the
    story as written, for the change form to show and save.

    The rules are those of editing the story as it stands now, before anything is written
    (``Article.is_editable_by``): an editor may revert any story, its author only a draft.
    A published story therefore takes an editor, and the workflow fields keep their live
    values (a revert never unpublishes); corrections are kept as they are. Reverting a
    story that has left its author's draft is recorded in its status history.
    """
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not article.is_editable_by(user):
        raise PermissionDenied(_("You may not revert this story."))
    if not story_versions().filter(pk=version.pk, object_id=str(article.pk)).exists():
        raise ValueError(f"Version {version.pk} is not one of story {article.pk}'s.")
    before = article.state
    article = restore_story(version, relations=REVERTED_RELATIONS, keep=WORKFLOW_FIELDS)
    if article.status != Article.Status.DRAFT:
        article.record_state_change(user=user, before=before, note=revision_note(version))
    return article


@transaction.atomic
def article_recover(*, version, user):
    """Bring a deleted story back from one of its stored versions, as ``user``, with its
    bylines, related links and corrections as they were then; recorded in its status
    history. Editors only (who may add and publish stories): a deleted story may be one
    readers saw, and recovering it shows it to them again."""
    if not (user.has_perm("articles.add_article") and user.has_perm("articles.publish_article")):
        raise PermissionDenied(_("Only editors may recover deleted stories."))
    if not story_versions().filter(pk=version.pk).exists():
        raise ValueError(f"Version {version.pk} is not a story's.")
    if Article.objects.filter(pk=version.object_id).exists():
        raise ValueError(f"Story {version.object_id} is not deleted.")
    article = restore_story(version, relations=RECOVERED_RELATIONS)
    note = revision_note(version, recovered=True)
    article.record_state_change(user=user, before=article.state, note=note)
    return article


def translated_tags(article, language):
    """``(tags, to_translate)`` for a translation of ``article`` into ``language``: the
    tags it starts with (each tag's translation where the newsroom has one, tags of every
    language as they are) and the names of the source's tags with no translation yet,
    which are left out: a Russian story shows no English tag."""
    tags = list(article.tags.select_related("language_info"))
    translations = TagLanguage.objects.translations(tags, language)
    kept, to_translate = [], []
    for tag in tags:
        if tag.pk in translations:
            kept.append(translations[tag.pk])
        elif in_language([tag], language):
            kept.append(tag)
        else:
            to_translate.append(tag.name)
    return kept, sorted(to_translate)


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
        tags, draft.tags_to_translate = translated_tags(article, language)
        draft.tags.set(tags)
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
