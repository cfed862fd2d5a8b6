"""Build the POST a browser sends from a story's admin change form."""

from django.urls import reverse
from django.utils import timezone

INLINES = ["bylines", "related_links", "corrections"]


def split(value):
    if value is None:
        return "", ""
    local = timezone.localtime(value)
    return local.strftime("%Y-%m-%d"), local.strftime("%H:%M:%S")


def story_form_data(article=None, *, section=None, **changes):
    """The form as it was rendered for ``article`` (or an empty add form), with changes.

    Inline formsets are sent empty (no existing rows touched) unless given in ``changes``.
    """
    data = {
        "language": getattr(article, "language", "en"),
        "headline": getattr(article, "headline", "A new story"),
        "slug": getattr(article, "slug", ""),
        "kicker": getattr(article, "kicker", ""),
        "lead": getattr(article, "lead", ""),
        "body": getattr(article, "body", ""),
        "section": section.pk if section else article.section_id,
        "tags": "",
        "comments_mode": getattr(article, "comments_mode", "premoderated"),
        "lead_image": "",
        "seo_title": "",
        "seo_description": "",
        "workflow_note": "",
        "opened_version": getattr(article, "version", ""),
    }
    for field in ["published_at", "breaking_until"]:
        data[f"{field}_0"], data[f"{field}_1"] = split(getattr(article, field, None))
    for prefix in INLINES:
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    data.update(changes)
    return data


def change_url(article):
    return reverse("admin:articles_article_change", args=[article.pk])


ADD_URL = "/admin/articles/article/add/"
