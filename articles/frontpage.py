"""The front page: what readers see on it (``front_page``), and the writes that arrange
it (``front_page_place``, ``front_page_remove``, ``front_page_reorder``,
``front_page_pin_breaking``).

The writes are keyword-only and atomic, check the arranging permission themselves (a
crafted POST meets the same refusal as a hidden button), and record each change in
``FrontPageChange``. Saving or deleting a slot invalidates its language's front page
(cache tag ``front:<language>``, ``core.cache``), so cached pages follow at once.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .models.frontpage import (
    LEAD,
    POSITIONS,
    FrontPageChange,
    FrontPageSlot,
    curated_q,
    with_front_position,
)

ARRANGE_PERMISSION = "articles.change_frontpageslot"


def front_page(stories, language, section=None):
    """The home page of ``language`` made of ``stories`` (those readers may see, newest
    first): a list with one entry per position, lead first, each a story or ``None``.
    With a ``section`` (and that section's ``stories``), its front's lead alone: ``[lead]``.

    One query, whatever the number of slots: the stories holding a slot that counts now
    and the few latest ones, each with its slot's position. A slot that does not count
    (see ``FrontPageSlotQuerySet.current``) is filled by the latest story not shown
    elsewhere on the page, so the page is whole while there are stories at all.
    """
    positions = POSITIONS if section is None else [LEAD]
    latest = stories.values("pk")[: len(positions)]
    chosen = with_front_position(
        stories.filter(curated_q(language, section) | Q(pk__in=latest)), language, section
    )
    placed, rest = {}, []
    for story in chosen:
        if story.front_position is None:
            rest.append(story)
        else:
            placed[story.front_position] = story
    rest = iter(rest)
    return [placed.get(position) or next(rest, None) for position in positions]


def _check_may_arrange(user):
    if not user.has_perm(ARRANGE_PERMISSION):
        raise PermissionDenied(_("Only editors may arrange the front page."))


def _record(slot, action, user):
    FrontPageChange.objects.create(
        language=slot.language,
        position=slot.position,
        section=slot.section,
        action=action,
        article=slot.article,
        headline=slot.article.headline,
        ends_at=slot.ends_at,
        user=user,
    )


@transaction.atomic
def front_page_place(*, article, position, user, ends_at=None, section=None):
    """Put ``article`` in ``position`` on its language's home page (or, with ``section``,
    as the lead of that section's front) until ``ends_at`` (``None``: until someone
    changes it), replacing what held the position. A story already elsewhere on the home
    page moves (a story fills one slot of a page at most)."""
    _check_may_arrange(user)
    if position not in POSITIONS or (section is not None and position != LEAD):
        raise ValidationError(_("There is no such position on the front page."))
    if section is not None and article.section_id != section.pk:
        raise ValidationError(_("Only a story of the section can lead its front."))
    FrontPageSlot.objects.filter(article=article, section__isnull=section is None).delete()
    FrontPageSlot.objects.filter(
        language=article.language, section=section, position=position
    ).delete()
    slot = FrontPageSlot.objects.create(
        language=article.language,
        position=position,
        section=section,
        article=article,
        ends_at=ends_at,
        placed_by=user,
    )
    _record(slot, FrontPageChange.Action.PLACED, user)
    return slot


@transaction.atomic
def front_page_remove(*, language, position, user, section=None):
    """Empty a slot (of the home page, or ``section``'s lead): the latest story takes it
    again."""
    _check_may_arrange(user)
    slot = (
        FrontPageSlot.objects.select_related("article", "section")
        .filter(language=language, position=position, section=section)
        .first()
    )
    if slot is not None:
        slot.delete()
        _record(slot, FrontPageChange.Action.REMOVED, user)


@transaction.atomic
def front_page_reorder(*, language, positions, user):
    """Move the home page slots of ``language``: ``positions`` maps a slot's current position to
    its new one. New positions must differ from one another and from those of the slots
    that stay."""
    _check_may_arrange(user)
    slots = {
        slot.position: slot
        for slot in FrontPageSlot.objects.select_related("article").filter(
            language=language, section=None
        )
    }
    moves = {old: new for old, new in positions.items() if old in slots and old != new}
    staying = set(slots) - set(moves)
    targets = list(moves.values())
    if (
        any(new not in POSITIONS for new in targets)
        or len(set(targets)) != len(targets)
        or (staying & set(targets))
    ):
        raise ValidationError(_("Give each story a different position from 0 to 4."))
    # Delete first, then create: the positions are unique, so moving slot by slot
    # could collide halfway (a swap).
    FrontPageSlot.objects.filter(
        language=language, section=None, position__in=list(moves)
    ).delete()
    for old, new in moves.items():
        slot = slots[old]
        slot.pk, slot.position = None, new
        slot._state.adding = True
        slot.save()
        _record(slot, FrontPageChange.Action.MOVED, user)


def front_page_pin_breaking(*, article, user):
    """Pin a breaking story as the lead of its language until its breaking flag ends."""
    if not (article.is_published and article.is_breaking):
        raise ValidationError(_("Only a published breaking story can be pinned as lead."))
    return front_page_place(
        article=article, position=LEAD, user=user, ends_at=article.breaking_until
    )
