"""What the editors' dashboard (the admin index) shows: one query per block."""

from datetime import timedelta

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Article

DASHBOARD_ROWS = 6


def dashboard_blocks(user):
    """``[(title, stories, changelist query string)]`` for the blocks ``user`` may see."""
    if not user.has_perm("articles.view_article"):
        return []
    now = timezone.now()
    stories = Article.objects.select_related("section").order_by("-updated_at")
    in_review = stories.filter(status=Article.Status.REVIEW)
    review_filter = "state=review"
    if not user.has_perm("articles.publish_article"):
        in_review = in_review.filter(created_by=user)
        review_filter += "&mine=1"
    blocks = [
        (_("In review"), in_review, review_filter),
        (
            _("Scheduled in the next 24 hours"),
            stories.filter(
                status=Article.Status.PUBLISHED,
                published_at__gt=now,
                published_at__lte=now + timedelta(hours=24),
            ).order_by("published_at"),
            "state=scheduled",
        ),
        (
            _("Your drafts"),
            stories.filter(status=Article.Status.DRAFT, created_by=user),
            "state=draft&mine=1",
        ),
        (
            _("Recently published"),
            stories.published().order_by("-published_at"),
            "state=published",
        ),
    ]
    return [(title, list(query[:DASHBOARD_ROWS]), filters) for title, query, filters in blocks]
