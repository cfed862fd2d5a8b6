"""Starting a story's translation: a draft in another language, in the same translation group.

The draft carries what does not depend on the language (section, tags, lead image, bylines)
and the source text as the translator's starting point. The translator is not known yet,
so the admin asks the user to add them to the bylines.
"""

import reversion
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from .models import LANGUAGE_CODES, Article, Byline


class TranslationExists(Exception):
    """The story's group already has a version in that language (``self.article``)."""

    def __init__(self, article):
        super().__init__(article.pk)
        self.article = article


def missing_languages(article):
    """The languages ``article`` has no version in yet, in the settings' order."""
    taken = set(
        Article.objects.filter(translation_group=article.translation_group).values_list(
            "language", flat=True
        )
    )
    return [code for code in LANGUAGE_CODES if code not in taken]


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
