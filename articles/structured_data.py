"""schema.org data for search engines and social networks, built as plain dicts.

Templates render them with the ``json_ld`` filter (newsroom/templatetags/site_tags.py).
"""

from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import strip_tags

from .images import card_rendition


def absolute(request, path):
    return request.build_absolute_uri(path)


def publisher(request):
    return {
        "@type": "NewsMediaOrganization",
        "name": settings.SITE_NAME,
        "url": absolute(request, "/"),
        "logo": {
            "@type": "ImageObject",
            "url": absolute(request, static("img/logo.png")),
            "width": 600,
            "height": 60,
        },
    }


def image_urls(request, image):
    """The 16:9, 4:3 and 1:1 crops search engines ask for, as absolute URLs (those a
    worker has made so far)."""
    crops = [card_rendition(image, ratio) for ratio in ("16:9", "4:3", "1:1")]
    return [absolute(request, crop.url) for crop in crops if crop]


def news_article(request, article, live_updates=None):
    """A ``NewsArticle``; a live story's is a ``LiveBlogPosting`` (schema.org's kind of
    article for live coverage) with its window and the updates the page shows."""
    url = absolute(request, article.get_absolute_url())
    data = {
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": article.headline[:110],
        "description": article.seo_description or article.lead,
        "datePublished": article.published_at.isoformat() if article.published_at else None,
        "dateModified": article.updated_at.isoformat(),
        "author": [
            {
                "@type": "Person",
                "name": byline.contributor.name,
                "url": absolute(request, byline.contributor.get_absolute_url()),
            }
            for byline in article.bylines.all()
        ],
        "publisher": publisher(request),
        "inLanguage": article.language,
        "articleSection": article.section.display_name,
        "keywords": [tag.name for tag in article.tags.all()],
        "mainEntityOfPage": {"@type": "WebPage", "@id": url},
        "url": url,
    }
    if article.lead_image and (images := image_urls(request, article.lead_image)):
        data["image"] = images
    corrections = list(article.corrections.all())
    if corrections:
        data["correction"] = [
            {
                "@type": "CorrectionComment",
                "text": correction.text,
                "datePublished": correction.created_at.isoformat(),
            }
            for correction in corrections
        ]
    if article.is_live_story:
        data.update(live_blog(request, article, live_updates or []))
    return data


def live_blog(request, article, updates):
    data = {
        "@type": "LiveBlogPosting",
        "coverageStartTime": article.live_from.isoformat(),
        "liveBlogUpdate": [
            {
                "@type": "BlogPosting",
                "headline": update.headline[:110],
                "datePublished": update.created_at.isoformat(),
                "dateModified": (update.edited_at or update.created_at).isoformat(),
                "url": absolute(request, update.get_absolute_url()),
                "articleBody": strip_tags(update.body),
            }
            for update in updates
        ],
    }
    if article.live_until:
        data["coverageEndTime"] = article.live_until.isoformat()
    return data


def breadcrumbs(request, *crumbs):
    """``crumbs`` are (name, path) pairs from the home page down."""
    return {
        "@context": "https://schema.org",
        "@type": "BreadcrumbList",
        "itemListElement": [
            {
                "@type": "ListItem",
                "position": n,
                "name": str(name),
                "item": absolute(request, path),
            }
            for n, (name, path) in enumerate(crumbs, start=1)
        ],
    }


def website(request):
    home = reverse("articles:home")
    return {
        "@context": "https://schema.org",
        "@type": "WebSite",
        "name": settings.SITE_NAME,
        "url": absolute(request, home),
        "publisher": publisher(request),
        "potentialAction": {
            "@type": "SearchAction",
            "target": {
                "@type": "EntryPoint",
                "urlTemplate": absolute(request, reverse("articles:search"))
                + "?q={search_term_string}",
            },
            "query-input": "required name=search_term_string",
        },
    }


def collection_page(request, name, path, description=""):
    return {
        "@context": "https://schema.org",
        "@type": "CollectionPage",
        "name": str(name),
        "description": description,
        "url": absolute(request, path),
        "isPartOf": {
            "@type": "WebSite",
            "name": settings.SITE_NAME,
            "url": absolute(request, "/"),
        },
    }


def profile_page(request, contributor):
    url = absolute(request, contributor.get_absolute_url())
    person = {"@type": "Person", "name": contributor.name, "url": url}
    if contributor.bio:
        person["description"] = contributor.bio
    if contributor.photo and (photo := card_rendition(contributor.photo, "1:1")):
        person["image"] = absolute(request, photo.url)
    return {"@context": "https://schema.org", "@type": "ProfilePage", "mainEntity": person}
