"""The comments app's models, one module per concern, all re-exported here so that
``from comments.models import Comment`` works wherever it is written.

* ``reviews``: reader reviews (``Comment``, whose ``visible()`` is the one definition of
  what readers see), readers' reports and the moderators' decisions.
* ``defences``: bans, blocked terms and the bots' tally, which the pipeline reads.
* ``digests``: the slots of the moderators' daily digest.
* ``reasons``: the reject reasons moderators pick from.

``reviews`` imports ``defences`` (the queue shows whether an author is banned); the
others import no sibling, and nothing here imports the services, tasks or admin.
"""

from .defences import (
    Ban,
    BanQuerySet,
    BlockedTerm,
    BlockedTermAction,
    DiscardedSubmission,
    DiscardedSubmissionQuerySet,
    DiscardReason,
)
from .digests import ModerationDigest
from .reasons import RejectReason, RejectReasonQuerySet
from .reviews import (
    Comment,
    CommentQuerySet,
    CommentStatus,
    ModerationDecision,
    Report,
    ReportReason,
    accepts_reviews,
)

__all__ = [
    "Ban",
    "BanQuerySet",
    "BlockedTerm",
    "BlockedTermAction",
    "Comment",
    "CommentQuerySet",
    "CommentStatus",
    "DiscardReason",
    "DiscardedSubmission",
    "DiscardedSubmissionQuerySet",
    "ModerationDecision",
    "ModerationDigest",
    "RejectReason",
    "RejectReasonQuerySet",
    "Report",
    "ReportReason",
    "accepts_reviews",
]
