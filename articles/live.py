"""Live coverage: who may post, the writes (keyword-only, atomic), what a change invalidates,
and what the reader's live page and its polling endpoint show.

Posting never saves the story: an update is its own row, and the story's "Updated" time
and coverage window move with a single ``UPDATE`` that leaves its version alone, so a
colleague editing the story's text meets no stale-version refusal and needs no lock, and
two journalists posting at the same moment both land.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core.cache import invalidate_tags
from core.cdn import purge_on_commit

from .cdn import story_paths
from .models import Article, LiveUpdate, LiveUpdateChange

UPDATES_PER_PAGE = 20
# What the polling endpoint lists: a reader further behind than this reloads the page.
UPDATES_POLLED = 20


def accepts_updates_from(article, user):
    """Editors post on any story; a journalist on the stories they may edit and, once it
    is out (and so no longer theirs to edit), on a story they wrote or carry a byline on:
    live coverage happens on published stories. Moderators and readers never."""
    if not user.has_perm("articles.change_article"):
        return False
    if article.is_editable_by(user) or article.created_by_id == user.pk:
        return True
    return article.bylines.filter(contributor__user=user).exists()


def may_change_update(update, user, *, accepted=None):
    """Editors change any update; a journalist their own. ``accepted``: what
    ``accepts_updates_from`` said of the story, when the caller asked it already."""
    if accepted is None:
        accepted = accepts_updates_from(update.article, user)
    return accepted and (user.has_perm("articles.publish_article") or update.author_id == user.pk)


def live_paths(story):
    """The reader addresses a live story's updates show on."""
    with translation.override(story.language):
        kwargs = {"section": story.section.slug, "slug": story.slug}
        return [
            *story_paths(story),
            reverse("articles:live_updates", kwargs=kwargs),
            reverse("articles:story_feed", kwargs=kwargs),
            reverse("articles:story_feed_atom", kwargs=kwargs),
        ]


def live_update_changed(story):
    """Everything a new, edited or deleted update (or the coverage starting or ending)
    invalidates: the story's page, its polling endpoint and feed, and the lists it is on."""
    # The story's tag: its page, its polling endpoint and its feed all load the story.
    invalidate_tags({f"story:{story.pk}"})
    if settings.CDN_PURGE_URL:
        purge_on_commit(live_paths(story))


def _touch(story, **fields):
    """Move the story's "Updated" time (and ``fields``) without saving it (see above)."""
    Article.objects.filter(pk=story.pk).update(updated_at=timezone.now(), **fields)
    story.refresh_from_db(fields=["updated_at", *fields])
    live_update_changed(story)


def _refuse_unless(allowed):
    if not allowed:
        raise PermissionDenied(_("You may not post updates on this story."))


def _record(update, user, action):
    LiveUpdateChange.objects.create(
        article_id=update.article_id,
        update_pk=update.pk,
        action=action,
        user=user,
        body=update.body,
        is_key_event=update.is_key_event,
    )


@transaction.atomic
def live_coverage_start(*, article, user):
    """Switch the story to live coverage now, or resume coverage that had ended."""
    _refuse_unless(accepts_updates_from(article, user))
    _touch(article, live_from=Coalesce("live_from", timezone.now()), live_until=None)


@transaction.atomic
def live_coverage_end(*, article, user):
    _refuse_unless(accepts_updates_from(article, user))
    if not article.is_live_now:
        raise ValidationError(_("This story's live coverage is not going on."))
    _touch(article, live_until=timezone.now())


def _checked(update):
    if not update.article.is_live_now:
        raise ValidationError(_("Live coverage of this story is not going on: start it first."))
    update.full_clean(exclude=["article", "author"])


@transaction.atomic
def live_update_post(*, article, user, body, title="", image=None, is_key_event=False):
    _refuse_unless(accepts_updates_from(article, user))
    update = LiveUpdate(
        article=article, author=user, body=body, title=title, image=image,
        is_key_event=is_key_event,
    )  # fmt: skip
    _checked(update)
    update.save()
    _record(update, user, LiveUpdateChange.Action.POSTED)
    _touch(article)
    return update


@transaction.atomic
def live_update_edit(*, update, user, body, title="", image=None, is_key_event=False):
    _refuse_unless(may_change_update(update, user))
    update.body, update.title, update.image = body, title, image
    update.is_key_event = is_key_event
    update.edited_at = timezone.now()
    _checked(update)
    update.save()
    _record(update, user, LiveUpdateChange.Action.EDITED)
    _touch(update.article)
    return update


@transaction.atomic
def live_update_delete(*, update, user):
    _refuse_unless(may_change_update(update, user))
    _record(update, user, LiveUpdateChange.Action.DELETED)
    update.delete()
    _touch(update.article)


# The reader's side ---------------------------------------------------------------------


def requested_start(request):
    """The ``?update=<id>`` a shared link or an "Older updates" link opens the page at."""
    try:
        return int(request.GET.get("update", ""))
    except ValueError:
        return None


def page_context(request, article):
    """The live page: a page of updates (newest first, or from a shared one on), the key
    events and the polling settings, in two queries however many updates there are."""
    updates = article.live_updates.for_page()
    start = requested_start(request)
    if start is not None:
        updates = updates.filter(pk__lte=start)
    shown = list(updates[: UPDATES_PER_PAGE + 1])
    older = shown[UPDATES_PER_PAGE] if len(shown) > UPDATES_PER_PAGE else None
    shown = shown[:UPDATES_PER_PAGE]
    key_events = list(article.live_updates.key_events())
    for update in [*shown, *key_events]:
        update.article = article  # its address, without asking the database again
    return {
        "live_updates": shown,
        "live_shown_ids": {update.pk for update in shown},
        "live_older": older,
        "live_is_first_page": start is None,
        "live_key_events": key_events,
        "live_poll_seconds": settings.LIVE_POLL_SECONDS,
        "live_new_labels": new_updates_labels() if article.is_live_now else None,
    }


def new_updates_labels():
    """The "3 new updates" button's words for every count the endpoint can bring, in the
    page's language (plural forms differ: Russian has three), for the page's script."""
    labels = {
        count: ngettext("%(count)d new update", "%(count)d new updates", count) % {"count": count}
        for count in range(1, UPDATES_POLLED)
    }
    labels[UPDATES_POLLED] = _("Many new updates: reload the page")
    return labels


def polled_updates(article):
    """The newest updates, for the polling endpoint."""
    updates = list(article.live_updates.for_page()[:UPDATES_POLLED])
    for update in updates:
        update.article = article
    return updates
