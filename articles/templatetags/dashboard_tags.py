from django import template
from django.urls import reverse

from articles.dashboard import dashboard_blocks
from articles.models import Notification

register = template.Library()


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def editors_dashboard(context):
    """The admin index's stories blocks for the logged-in user (fixed number of queries)."""
    user = context["request"].user
    return {
        "blocks": dashboard_blocks(user),
        "changelist_url": reverse("admin:articles_article_changelist"),
    }


DASHBOARD_NOTIFICATIONS = 8


@register.inclusion_tag("admin/articles/notifications_block.html", takes_context=True)
def notifications_dashboard(context):
    """The user's latest notifications on the admin index (one query), for those who
    work on stories."""
    user = context["request"].user
    if not user.has_perm("articles.view_article"):
        return {"notifications": None}
    latest = Notification.objects.for_user(user).select_related("article", "actor")
    return {"notifications": list(latest[:DASHBOARD_NOTIFICATIONS])}
