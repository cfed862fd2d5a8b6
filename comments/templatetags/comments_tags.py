from django import template
from django.conf import settings
from django.contrib.messages import get_messages
from django.utils.translation import get_language

from articles.models import Article
from core.cache import record_tags
from core.fragments import render_fragment

from ..forms import ReviewForm
from ..models import Comment, accepts_reviews
from ..pipeline import form_token

register = template.Library()
# Beyond this a page number is nonsense; a larger one overflowed the database's OFFSET (500).
MAX_REVIEW_PAGE = 100_000
# How long the rendered empty review form is kept (its time stamp ages with it).
EMPTY_FORM_SECONDS = 60


def _page_number(request):
    value = request.GET.get("reviews", "1") if request else "1"
    # isdecimal, not isdigit: "²" is a digit that int() refuses.
    return int(value) if value.isdecimal() and 0 < int(value) <= MAX_REVIEW_PAGE else 1


def _reviews_page(article, number):
    """One page of top-level reviews with their replies (``Comment.objects.for_story_page``),
    and the numbers the heading and the pagination need."""
    per_page = settings.COMMENTS_PER_PAGE
    start = (number - 1) * per_page
    reviews = list(Comment.objects.for_story_page(article)[start : start + per_page])
    top_level = reviews[0].top_level if reviews else 0
    pages = -(-top_level // per_page)
    return {
        "reviews": reviews,
        "total": reviews[0].total if reviews else 0,
        "page": {
            "number": number,
            "previous": number - 1 if number > 1 else None,
            "next": number + 1 if number < pages else None,
            "count": pages,
        },
    }


@register.inclusion_tag("comments/reviews.html", takes_context=True)
def reviews_for(context, article):
    """The story page's reviews block; ``articles`` only knows this tag's name."""
    request = context.get("request")
    record_tags(f"reviews:{article.pk}")
    block = {"article": article, "request": request, "is_open": accepts_reviews(article)}
    # The answer to the reader's own review, shown where they wrote it (views._confirm).
    block["review_messages"] = (
        [message for message in get_messages(request) if "review" in message.extra_tags]
        if request
        else []
    )
    number = _page_number(request)
    # The list is a fragment under the story's reviews tag: approving a review renders it
    # again, and a page-cache miss for any other reason does not.
    block["review_list"] = render_fragment(
        "reviews",
        (article.pk, number, block["is_open"]),
        "comments/review_list.html",
        lambda: {"is_open": block["is_open"], **_reviews_page(article, number)},
        request,
        tags=[f"reviews:{article.pk}"],
    )
    if block["is_open"]:
        block["form"] = ReviewForm(initial={"token": form_token(article.pk)})
        if request is not None and not request.user.is_authenticated:
            # The same empty form for every anonymous reader (no CSRF token: core.origin),
            # its stamp at most a minute older than the page's own.
            block["form_html"] = render_fragment(
                "review-form",
                (article.pk,),
                "comments/form.html",
                lambda: {"form": block["form"], "article": article},
                request,
                seconds=EMPTY_FORM_SECONDS,
            )
    return block


def _stories(values):
    for value in values:
        if isinstance(value, Article):
            yield value
        elif isinstance(value, list | tuple) or hasattr(value, "model"):
            yield from _stories(value)


@register.simple_tag
def attach_review_counts(*stories):
    """Give every story found in the arguments (stories, lists, querysets, nested lists)
    an ``approved_review_count``, in one query for the whole page instead of one per card."""
    found = list(_stories(stories))
    record_tags(*(f"reviews:{story.pk}" for story in found))
    counts = Comment.objects.approved_counts([story.pk for story in found]) if found else {}
    for story in found:
        story.approved_review_count = counts.get(story.pk, 0)
    return ""


@register.simple_tag(takes_context=True)
def pending_review_count(context):
    """For the editors' dashboard: how many reviews wait, to those who may read them."""
    user = context["request"].user
    if not user.has_perm("comments.view_comment"):
        return None
    return Comment.objects.in_moderation().count()


@register.simple_tag
def privacy_url():
    """The privacy notice in the reader's language (settings.PRIVACY_URL)."""
    return settings.PRIVACY_URL % {"language": get_language()}
