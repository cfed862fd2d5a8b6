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
    stories = Article.objects.select_related("section").order_by("-updated_at")
    in_review = stories.in_state(Article.State.REVIEW)
    review_filter = "state=review"
    if not user.has_perm("articles.publish_article"):
        in_review = in_review.filter(created_by=user)
        review_filter += "&mine=1"
    blocks = [
        (_("In review"), in_review, review_filter),
        (
            _("Scheduled in the next 24 hours"),
            stories.scheduled(until=timezone.now() + timedelta(hours=24)).order_by("published_at"),
            "state=scheduled",
        ),
        (
            _("Your drafts"),
            stories.in_state(Article.State.DRAFT).filter(created_by=user),
            "state=draft&mine=1",
        ),
        (
            _("Recently published"),
            stories.published().order_by("-published_at"),
            "state=published",
        ),
    ]
    return [(title, list(query[:DASHBOARD_ROWS]), filters) for title, query, filters in blocks]
