"""Readers' forms: post a review, report one, and the fresh form token for cached pages.

Plain POST-and-redirect flows that work without JavaScript. The rules live in
``comments.pipeline`` and ``comments.services``; these views only translate their
outcomes into HTTP.
"""

import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseBadRequest, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from articles.models import Article, published_q
from core.origin import same_site_posts
from core.ratelimits import too_many_requests, wait_for
from core.readers import request_ip_hash

from . import pipeline
from .forms import ReportForm, ReviewForm
from .models import Comment, accepts_reviews
from .services import comment_create, report_create

# One line per review received: the story, the review and its status; never the name,
# email, address or text.
logger = logging.getLogger("comments.reviews")
AWAITING = gettext_lazy("Thank you — your review will appear once a moderator has read it.")


def _story(article_id):
    return get_object_or_404(Article.objects.published().select_related("section"), pk=article_id)


# The confirmation's place in the reviews block (templates/comments/reviews.html).
SENT_ANCHOR = "review-sent"


def _confirm(request, level, text):
    """A message for the reviews block, not the top of the page: the reader is there."""
    messages.add_message(request, level, text, extra_tags="review")


def _back_to_story(request, article, anchor="reviews"):
    """Where to go after a POST: a safe ``next`` on this site, or the story's reviews."""
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = f"{article.get_absolute_url()}#{anchor}"
    return HttpResponseRedirect(target)


def _review_id(value):
    """A review id sent by a form, or None. isdecimal, not isdigit: "²" is a digit that
    int() refuses."""
    return int(value) if value.isdecimal() else None


def _parent(article, parent_id):
    """The review being answered: approved, on this story. Replies are one level deep."""
    parent = Comment.objects.visible().filter(article=article, pk=parent_id).first()
    if parent is None:
        return None
    return parent.parent if parent.parent_id else parent


def _form_page(request, article, form, parent=None, status=200, notice="", closed=False):
    context = {
        "article": article,
        "form": form,
        "parent": parent,
        "notice": notice,
        "closed": closed,
    }
    return render(request, "comments/review_form.html", context, status=status)


@same_site_posts
@require_http_methods(["GET", "POST"])
def post_review(request, article_id):
    article = _story(article_id)
    if not accepts_reviews(article):
        if request.method == "GET":
            raise PermissionDenied(_("This story no longer takes reviews."))
        # Closed while the reader was writing: say so, and give their text back to copy.
        notice = _("This story no longer takes reviews. Your text is kept below to copy.")
        return _form_page(
            request, article, ReviewForm(request.POST), status=403, notice=notice, closed=True
        )
    parent_id = request.POST.get("parent") or request.GET.get("parent")
    parent = None
    if parent_id:
        parent = _parent(article, _review_id(parent_id))
        if parent is None:
            return HttpResponseBadRequest(_("You can only reply to a published review."))
    if request.method == "GET":
        form = ReviewForm(initial={"parent": parent_id, "token": pipeline.form_token(article.pk)})
        return _form_page(request, article, form, parent)

    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _form_page(request, article, form, parent)
    data = form.cleaned_data
    user = request.user if request.user.is_authenticated else None
    submission = pipeline.Submission(
        request=request,
        article=article,
        author_name=data["author_name"],
        email=data["email"],
        body=data["body"],
        ip_hash=request_ip_hash(request),
        user=user,
        honeypot=data["website"],
        token=data["token"],
    )
    try:
        verdict = pipeline.screen(submission)
    except pipeline.Refused as refused:
        raise PermissionDenied from refused
    except pipeline.Discarded:
        # Answer a bot exactly as a reader whose review waits: nothing to learn from.
        _confirm(request, messages.SUCCESS, AWAITING)
        return _back_to_story(request, article, anchor=SENT_ANCHOR)
    except pipeline.Expired:
        form = ReviewForm(
            {**request.POST.dict(), "token": pipeline.renewed_form_token(article.pk)}
        )
        notice = _(
            "This form was open for more than a day, so it was not sent. Your text is kept "
            "below: please send it again."
        )
        return _form_page(request, article, form, parent, status=400, notice=notice)
    except pipeline.RateLimited as limited:
        notice = _(
            "You are sending reviews too quickly. Please wait %(seconds)d seconds and send "
            "it again; your text is kept below."
        ) % {"seconds": limited.retry_after}
        response = _form_page(request, article, form, parent, status=429, notice=notice)
        response["Retry-After"] = str(limited.retry_after)
        return response
    except pipeline.Duplicate:
        _confirm(request, messages.INFO, _("You have already posted this review."))
        return _back_to_story(request, article, anchor=SENT_ANCHOR)

    comment = comment_create(
        article=article,
        parent=parent,
        author_name=data["author_name"],
        email=data["email"],
        body=data["body"],
        ip_hash=submission.ip_hash,
        verdict=verdict,
        user=user if user and user.is_staff else None,
    )
    logger.info(
        "review_received",
        extra={"article": article.pk, "review": comment.pk, "status": comment.status},
    )
    if comment.status == Comment.Status.APPROVED:
        _confirm(request, messages.SUCCESS, _("Thank you — your review is now published."))
    else:
        # Held and rejected reviews get the same answer: the reason is for moderators only.
        _confirm(request, messages.SUCCESS, AWAITING)
    return _back_to_story(request, article, anchor=SENT_ANCHOR)


@never_cache
def form_token(request, article_id):
    """A fresh form stamp, for story pages served from a page cache."""
    return JsonResponse({"token": pipeline.form_token(article_id)})


@require_http_methods(["GET", "POST"])
def report_review(request, comment_id):
    comment = get_object_or_404(
        Comment.objects.visible()
        .filter(published_q("article__"))
        .select_related("article__section"),
        pk=comment_id,
    )
    form = ReportForm(request.POST or None)
    if request.method == "POST":
        reporter_hash = request_ip_hash(request)
        retry_after = wait_for(
            request, "newsroom:report", settings.RATE_LIMIT_REPORTS, reporter_hash
        )
        if retry_after:
            return too_many_requests(retry_after)
        if form.is_valid():
            created = report_create(
                comment=comment, reason=form.cleaned_data["reason"], reporter_hash=reporter_hash
            )
            if created:
                messages.success(request, _("Thank you. A moderator will look at this review."))
            else:
                messages.info(request, _("You have already reported this review."))
            return _back_to_story(request, comment.article, anchor=f"review-{comment.pk}")
    context = {"comment": comment, "article": comment.article, "form": form}
    return render(request, "comments/report_form.html", context)
