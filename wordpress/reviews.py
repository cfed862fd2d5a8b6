"""WordPress comments into reader reviews, in bulk, past the live pipeline.

Imported reviews keep the state WordPress's moderators gave them; they are not run
through the spam checks again, nobody is notified, and each gets a moderation record
saying where it came from. Threads deeper than Newsroom's one level of replies hang from
their top-level ancestor, in their order.
"""

import html

from django.apps import apps
from django.utils import timezone
from django.utils.html import strip_tags

from .models import ImportedReview

# The reviews app's models and values by name: a feature app does not import another of
# its floor (tests/test_layout.py), and ``comments`` knows nothing of imports.
STATUSES = {"1": "approved", "0": "pending", "spam": "spam", "trash": "rejected",
            "post-trashed": "rejected"}  # fmt: skip
PENDING, APPROVED = "pending", "approved"

NOT_REVIEWS = {"pingback", "trackback"}
IMPORT_REASON = "imported from WordPress"


def plain_text(body):
    return html.unescape(strip_tags(body or "")).strip()[:3000]


class ReviewWriter:
    """Collects the reviews of a batch of stories and writes them in a few queries."""

    def __init__(self, *, site, report):
        self.site, self.report = site, report
        self.reviews = apps.get_model("comments", "Comment")
        self.decisions = apps.get_model("comments", "ModerationDecision")
        self.pending = []  # (article, wordpress comment, top-level ancestor id, hidden)

    def add(self, article, comments, *, hidden):
        """Queue ``comments`` of one story. ``hidden``: the story was password-protected,
        so its approved reviews wait for a moderator instead of showing."""
        by_id = {comment.wp_id: comment for comment in comments}
        for comment in sorted(comments, key=lambda c: (c.date or timezone.now(), c.wp_id)):
            if comment.kind in NOT_REVIEWS:
                self.report.count(f"{comment.kind}s skipped")
                continue
            self.pending.append((article, comment, top_ancestor(comment, by_id), hidden))

    def flush(self):
        batch, self.pending = self.pending, []
        wp_ids = [comment.wp_id for _article, comment, _top, _hidden in batch]
        known = set(
            ImportedReview.objects.filter(site=self.site, wp_id__in=wp_ids).values_list(
                "wp_id", flat=True
            )
        )
        batch = [entry for entry in batch if entry[1].wp_id not in known]
        self.report.count("reviews unchanged", len(known))
        top_level = [entry for entry in batch if entry[2] is None]
        replies = [entry for entry in batch if entry[2] is not None]
        made = self.write(top_level, {})
        made_replies = self.write(replies, made)
        made.update(made_replies)
        ImportedReview.objects.bulk_create(
            ImportedReview(site=self.site, wp_id=wp_id, comment=review)
            for wp_id, review in made.items()
        )
        now = timezone.now()
        self.decisions.objects.bulk_create(
            self.decisions(
                comment=review,
                from_status=PENDING,
                to_status=review.status,
                reason=IMPORT_REASON,
                created_at=now,
            )
            for review in made.values()
        )

    def write(self, entries, parents):
        """Create the reviews of ``entries``; replies whose top-level ancestor was not
        imported (a pingback, or a review of this batch that failed) become top-level."""
        reviews = []
        now = timezone.now()
        for article, comment, top, hidden in entries:
            status = STATUSES.get(comment.approved, PENDING)
            if hidden and status == APPROVED:
                status = PENDING
            parent = parents.get(top) if top is not None else None
            if top is not None and parent is None:
                parent = self.existing_parent(top)
            reviews.append(
                self.reviews(
                    article=article,
                    parent=parent,
                    author_name=(comment.author or "Anonymous")[:80],
                    email=comment.email[:254],
                    body=plain_text(comment.body),
                    status=status,
                    created_at=comment.date or now,
                    moderated_at=None if status == PENDING else now,
                )
            )
            self.report.count(f"reviews imported ({status})")
        if not reviews:
            return {}
        self.reviews.objects.bulk_create(reviews)
        pairs = zip(entries, reviews, strict=True)
        return {comment.wp_id: review for (_a, comment, _t, _h), review in pairs}

    def existing_parent(self, wp_id):
        record = ImportedReview.objects.filter(site=self.site, wp_id=wp_id).first()
        return record.comment if record else None


def top_ancestor(comment, by_id):
    """The id of the top-level comment ``comment`` answers (None if it is top-level);
    WordPress ids only, a loop in a broken export stops where it closes."""
    seen, current = set(), comment
    while current.parent_id and current.parent_id in by_id and current.wp_id not in seen:
        seen.add(current.wp_id)
        current = by_id[current.parent_id]
    return None if current is comment else current.wp_id
