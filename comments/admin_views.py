"""The moderation screens the stock admin lacks, routed from ``CommentAdmin.get_urls()``."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST

from .models import Comment

# The queue's actions (CommentAdmin's, which a review's own page offers as buttons too).
MODERATION_ACTIONS = {
    "approve_comments",
    "reject_comments",
    "mark_spam",
    "ban_authors",
    "ban_authors_and_reject_pending",
}


@require_POST
def moderate(request, object_id, *, model_admin):
    """One review's action buttons post here; it runs the same action as the queue."""
    if not model_admin.has_moderate_permission(request):
        raise PermissionDenied
    action = request.POST.get("action")
    if action not in MODERATION_ACTIONS:
        raise PermissionDenied
    comment = get_object_or_404(Comment, pk=object_id)
    response = getattr(model_admin, action)(request, Comment.objects.filter(pk=comment.pk))
    return response or redirect("admin:comments_comment_change", comment.pk)
