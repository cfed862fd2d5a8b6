"""What readers may see: the one definition, as ``Q`` builders and their Python twins.

Every query that decides whether readers see a story builds on ``published_q()``, the way
Wagtail's ``PageQuerySet.live_q()`` serves ``live()`` and ``not_live()``: the querysets
(``Article.objects.published()``, ``scheduled()``, ``in_state()``, ``visible_to()``), the
admin's state filter, the dashboard, and lookups across relations through ``prefix``
(``published_q("article__")`` for an old address's story, ``published_q("target_article__")``
for a related link's). Change what "published" or "scheduled" means here and every page,
feed, sitemap, filter and count follows.

A story scheduled for later is simply published with a future ``published_at``: it goes
live on its own, with no job to run.
"""

from django.db.models import Q
from django.utils import timezone

from .workflow import ArticleStatus, WorkflowState


def published_q(prefix=""):
    """Readers see the story now: published, and its time has come."""
    return Q(
        **{
            f"{prefix}status": ArticleStatus.PUBLISHED,
            f"{prefix}published_at__lte": timezone.now(),
        }
    )


def scheduled_q(prefix=""):
    """Published with a time still to come: it goes live on its own at ``published_at``."""
    return Q(
        **{
            f"{prefix}status": ArticleStatus.PUBLISHED,
            f"{prefix}published_at__gt": timezone.now(),
        }
    )


def released_q(prefix=""):
    """Out of the newsroom's hands: published, whether its time has come yet or not."""
    return Q(**{f"{prefix}status": ArticleStatus.PUBLISHED})


def state_q(state, prefix=""):
    """Stories in a workflow state as editors name it (``WorkflowState``): the status,
    except that a published story is "scheduled" until its time comes."""
    if state == WorkflowState.PUBLISHED:
        return published_q(prefix)
    if state == WorkflowState.SCHEDULED:
        return scheduled_q(prefix)
    return Q(**{f"{prefix}status": state})


def is_published(article):
    """``published_q()`` for a story already in hand."""
    return (
        article.status == ArticleStatus.PUBLISHED
        and article.published_at is not None
        and article.published_at <= timezone.now()
    )


def is_scheduled(article):
    """``scheduled_q()`` for a story already in hand."""
    return (
        article.status == ArticleStatus.PUBLISHED
        and article.published_at is not None
        and article.published_at > timezone.now()
    )
