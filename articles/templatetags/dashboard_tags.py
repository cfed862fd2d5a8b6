from django import template
from django.urls import reverse

from articles.dashboard import dashboard_blocks

register = template.Library()


@register.inclusion_tag("admin/articles/dashboard.html", takes_context=True)
def editors_dashboard(context):
    """The admin index's stories blocks for the logged-in user (fixed number of queries)."""
    user = context["request"].user
    return {
        "blocks": dashboard_blocks(user),
        "changelist_url": reverse("admin:articles_article_changelist"),
    }
