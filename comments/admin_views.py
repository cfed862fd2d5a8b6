"""The moderation screens the stock admin lacks, routed from ``CommentAdmin.get_urls()``.

``moderate`` takes one decision on one review: the queue's row buttons and a review's own
page post here. Each row is a real form (CSRF, POST only, the moderation permission);
``static/js/moderation.js`` sends the same form with ``fetch`` and shows the answer in
the row, with an Undo for a few seconds. Without JavaScript the answer is a redirect back
to the queue with a message.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, JsonResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .forms import RejectForm
from .models import Comment
from .services import comment_ban_author, comments_set_status, decision_undo, reports_resolve

# The queue's bulk actions (CommentAdmin's).
MODERATION_ACTIONS = {
    "approve_comments",
    "reject_comments",
    "mark_spam",
    "ban_authors",
    "ban_authors_and_reject_pending",
}

# One review's decisions: the status each sets (None: ``moderate`` does something else).
DECISIONS = {
    "approve": Comment.Status.APPROVED,
    "reject": Comment.Status.REJECTED,
    "spam": Comment.Status.SPAM,
    "ban": None,
    "keep": None,
    "undo": None,
}


def _decide(request, comment, decision):
    """Take ``decision``; return what the row says afterwards, or None if nothing to do."""
    moderator = request.user
    if decision == "ban":
        comment_ban_author(comment=comment, moderator=moderator)
        return _("Author banned, review rejected.")
    if decision == "keep":
        reports_resolve(comments=Comment.objects.filter(pk=comment.pk), moderator=moderator)
        return _("Kept; its reports are resolved.")
    if decision == "undo":
        if not decision_undo(comment=comment, moderator=moderator):
            return None
        return _("Undone: back to “%(status)s”.") % {"status": comment.get_status_display()}
    reason = ""
    if decision == "reject":
        form = RejectForm(request.POST)
        reason = form.reason_text() if form.is_valid() else ""
    status = DECISIONS[decision]
    comments_set_status(
        comments=Comment.objects.filter(pk=comment.pk),
        status=status,
        moderator=moderator,
        reason=reason,
    )
    return {
        Comment.Status.APPROVED: _("Approved."),
        Comment.Status.REJECTED: _("Rejected."),
        Comment.Status.SPAM: _("Marked as spam."),
    }[status]


@require_POST
def moderate(request, object_id, *, model_admin):
    if not model_admin.has_moderate_permission(request):
        raise PermissionDenied
    decision = request.POST.get("decision")
    if decision not in DECISIONS:
        return HttpResponseBadRequest(_("Unknown decision."))
    comment = get_object_or_404(Comment, pk=object_id)
    said = _decide(request, comment, decision)
    if "application/json" in request.headers.get("Accept", ""):
        if said is None:
            return JsonResponse({"message": _("Nothing of yours to undo.")}, status=409)
        return JsonResponse({"message": said, "undo": decision != "undo"})
    if said is None:
        messages.warning(request, _("Nothing of yours to undo."))
    else:
        messages.success(request, f"#{comment.pk} {comment.author_name}: {said}")
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("admin:comments_comment_change", comment.pk)
