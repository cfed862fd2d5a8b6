"""Writes that touch several rows or models, as keyword-only functions (see STYLE.md).

Every status change made here records a ``ModerationDecision`` and, when it changes what
readers see, invalidates the reviews of the stories concerned (cache tag
``reviews:<story id>``, ``core.cache``): their reviews blocks and review counts, nothing else.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.cache import invalidate_tags
from core.tasks import enqueue_on_commit

from . import tasks
from .models import Ban, Comment, ModerationDecision, Report


@transaction.atomic
def comment_create(*, article, parent, author_name, email, body, ip_hash, verdict, user=None):
    """Store a screened review with the pipeline's verdict and its reasons."""
    comment = Comment.objects.create(
        article=article,
        parent=parent,
        author_name=author_name,
        email=email,
        body=body,
        ip_hash=ip_hash,
        user=user,
        is_newsroom=bool(user and user.is_staff),
        status=verdict.status,
        held_reasons=verdict.reasons,
    )
    if comment.status == Comment.Status.APPROVED:
        invalidate_tags([f"reviews:{article.pk}"])
    return comment


def _record(comments_and_statuses, *, to_status, moderator, reason, now):
    """One decision per (review id, status it had); ``to_status`` None: it stays."""
    ModerationDecision.objects.bulk_create(
        ModerationDecision(
            comment_id=pk,
            moderator=moderator,
            moderator_username=moderator.get_username() if moderator else "",
            from_status=from_status,
            to_status=to_status or from_status,
            reason=reason,
            created_at=now,
        )
        for pk, from_status in comments_and_statuses
    )


@transaction.atomic
def comments_set_status(*, comments, status, moderator=None, reason="", now=None):
    """Move many reviews to ``status`` in a fixed number of queries, whatever their number.

    Reviews already in ``status`` are left alone. A moderator's decision resolves the open
    reports on all of them, moved or not: approving a reported review that is already
    approved is how a moderator says "keep it", and the Reported queue must empty (issue
    18). Returns how many reviews changed.
    """
    if moderator is not None:
        Report.objects.filter(comment__in=comments, is_resolved=False).update(is_resolved=True)
    rows = list(comments.exclude(status=status).values_list("pk", "status", "article_id"))
    if not rows:
        return 0
    changing = [(pk, from_status) for pk, from_status, _story in rows]
    now = now or timezone.now()
    _record(changing, to_status=status, moderator=moderator, reason=reason, now=now)
    ids = [pk for pk, _from_status in changing]
    Comment.objects.filter(pk__in=ids).update(status=status, moderated_at=now)
    if status == Comment.Status.APPROVED or any(
        from_status == Comment.Status.APPROVED for _pk, from_status in changing
    ):
        invalidate_tags({f"reviews:{story}" for _pk, _from_status, story in rows})
    return len(ids)


@transaction.atomic
def authors_ban(*, comments, moderator, reject_pending=False):
    """Ban the authors of ``comments`` by email and address hash; optionally reject their
    other pending reviews. Returns the number of bans made."""
    authors = set(comments.values_list("email", "ip_hash"))
    Ban.objects.bulk_create(
        Ban(email=email, ip_hash=ip_hash, created_by=moderator, reason=_("Banned from a review"))
        for email, ip_hash in authors
    )
    if reject_pending:
        emails = {email.casefold() for email, _ip in authors}
        pending = Comment.objects.in_moderation().filter(email__in=emails)
        comments_set_status(
            comments=pending,
            status=Comment.Status.REJECTED,
            moderator=moderator,
            reason=_("author banned"),
        )
    return len(authors)


@transaction.atomic
def reports_resolve(*, comments, moderator):
    """ "Keep": resolve the open reports on ``comments`` and leave each review as it is.

    Recorded as a decision from a status to the same one, so the audit trail says who
    looked. Returns how many reviews had open reports.
    """
    reported = list(comments.reported().values_list("pk", "status"))
    if reported:
        _record(
            reported,
            to_status=None,
            moderator=moderator,
            reason=_("reports resolved, review kept"),
            now=timezone.now(),
        )
        ids = [pk for pk, _status in reported]
        Report.objects.filter(comment_id__in=ids, is_resolved=False).update(is_resolved=True)
    return len(reported)


@transaction.atomic
def comment_ban_author(*, comment, moderator):
    """Ban one review's author (email and address hash) and reject that review.

    The ban and the decision share their time: that is how ``decision_undo`` finds the
    ban a decision made.
    """
    now = timezone.now()
    Ban.objects.create(
        email=comment.email,
        ip_hash=comment.ip_hash,
        created_by=moderator,
        created_at=now,
        reason=_("Banned from a review"),
    )
    comments_set_status(
        comments=Comment.objects.filter(pk=comment.pk),
        status=Comment.Status.REJECTED,
        moderator=moderator,
        reason=_("author banned"),
        now=now,
    )


@transaction.atomic
def decision_undo(*, comment, moderator):
    """Take back the review's latest decision if it is this moderator's: the review goes
    back to the status it had, and a ban that decision made is lifted. The undo is itself
    a decision, recorded. Returns False when there is nothing of theirs to undo.

    Reports resolved by the undone decision stay resolved: a moderator has read them.
    """
    last = comment.decisions.order_by("-created_at", "-pk").first()
    if last is None or last.moderator_id != moderator.pk:
        return False
    Ban.objects.filter(
        created_by=moderator, created_at=last.created_at, email=comment.email
    ).delete()
    now = timezone.now()
    _record(
        [(comment.pk, comment.status)],
        to_status=last.from_status,
        moderator=moderator,
        reason=_("undo"),
        now=now,
    )
    Comment.objects.filter(pk=comment.pk).update(status=last.from_status, moderated_at=now)
    if Comment.Status.APPROVED in (comment.status, last.from_status):
        invalidate_tags([f"reviews:{comment.article_id}"])
    comment.status = last.from_status
    return True


@transaction.atomic
def report_create(*, comment, reason, reporter_hash):
    """Record a reader's report; enough distinct reports send the review back to the queue.

    Returns False when this reader had already reported the review.
    """
    report, created = Report.objects.get_or_create(
        comment=comment, reporter_hash=reporter_hash, defaults={"reason": reason}
    )
    if not created:
        return False
    open_reports = comment.reports.filter(is_resolved=False).count()
    if (
        comment.status == Comment.Status.APPROVED
        and open_reports >= settings.COMMENTS_REPORTS_TO_HOLD
    ):
        comments_set_status(
            comments=Comment.objects.filter(pk=comment.pk),
            status=Comment.Status.PENDING,
            reason=_("withheld after %(count)d reports") % {"count": open_reports},
        )
    if reason == Report.Reason.ILLEGAL:
        enqueue_on_commit(tasks.email_illegal_content_alert, report.pk)
    return True


@transaction.atomic
def reader_reviews_erase(*, email):
    """Erase every review written with ``email`` (GDPR article 17, the right to erasure).

    The address matches whatever its case. Replies to an erased review go with it: they
    answer text that no longer exists; so do the reports on them and their moderation
    decisions. Returns the counts: ``reviews`` (the reader's own), ``replies`` (others'
    replies erased with them), ``reports`` and ``decisions``.
    """
    reviews = Comment.objects.by_email(email)
    count = reviews.count()
    stories = set(reviews.values_list("article_id", flat=True))
    _total, deleted = reviews.delete()
    invalidate_tags(f"reviews:{pk}" for pk in stories)
    return {
        "reviews": count,
        "replies": deleted.get(Comment._meta.label, 0) - count,
        "reports": deleted.get(Report._meta.label, 0),
        "decisions": deleted.get(ModerationDecision._meta.label, 0),
    }
