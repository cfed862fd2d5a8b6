import json

from django import template
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language, get_language_info

from articles.models import PageKind

from ..chrome import placeholder, render_part

register = template.Library()

# As django.utils.html.json_script does: no "</script>" or "<!--" can close the block.
JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def page_in_languages(context):
    """This page's address in each language that has it: {language code: path}.

    Section, tag, author and list pages share their addresses across languages, so the
    same path under another prefix is the same page. A story is only in the languages of
    its published translations (``translation_urls``, set by the story view). The
    "Page not found" page (its context has ``request_path``) is in no language.
    """
    if "translation_urls" in context:
        return context["translation_urls"]
    if "request_path" in context:
        return {}
    path = context["request"].path
    return {code: translate_url(path, code) for code, _name in settings.LANGUAGES}


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the other languages, or to their home pages when this page
    does not exist there (a story with no translation)."""
    available = page_in_languages(context)
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        url = available.get(code)
        if url is None:
            with translation.override(code):
                url = reverse("articles:home")
        info = get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "is_current": code == current}
        )
    return {"links": links}


@register.inclusion_tag("includes/alternate_links.html", takes_context=True)
def alternate_links(context):
    """``<link rel="alternate" hreflang>`` for each language version, plus x-default
    (the English version when there is one). Absolute, as search engines require."""
    request = context["request"]
    available = page_in_languages(context)
    if not available:
        return {"links": []}
    links = [
        {"hreflang": code, "href": request.build_absolute_uri(url)}
        for code, url in available.items()
    ]
    default = available.get(settings.LANGUAGE_CODE) or request.path
    links.append({"hreflang": "x-default", "href": request.build_absolute_uri(default)})
    return {"links": links}


@register.filter
def json_ld(data):
    """Render a dict as a schema.org JSON-LD block, escaped so no text can end it."""
    payload = json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False).translate(
        JSON_SCRIPT_ESCAPES
    )
    # Safe: the JSON above cannot contain "<", ">" or "&" unescaped.
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag(takes_context=True)
def include_if_exists(context, template_name):
    """Render a template if some app provides it, else nothing.

    The editors' dashboard uses it as a hook: the comments app fills its block by
    providing the template, and nothing outside ``comments`` imports comments.
    """
    try:
        found = template.loader.get_template(template_name)
    except template.TemplateDoesNotExist:
        return ""
    return found.render(context.flatten(), context.get("request"))


@register.simple_tag(takes_context=True)
def chrome(context, name):
    """A part of the site chrome (``newsroom.chrome``): a placeholder on a page rendered
    for the page cache, which fills it per response; the part itself elsewhere. The
    page's story (no banner for itself) or section (marked in the navigation) goes
    with it."""
    request = context["request"]
    section, article = context.get("section"), context.get("article")
    if name == "breaking" and article is not None:
        argument = str(article.pk)
    elif name == "nav" and (section is not None or article is not None):
        argument = str(section.pk if section is not None else article.section_id)
    elif (
        name == "nav" and request.resolver_match and request.resolver_match.url_name == "news_line"
    ):
        argument = "news-line"
    else:
        argument = ""
    if getattr(request, "page_cache_holes", False):
        return mark_safe(placeholder(name, argument))  # noqa: S308 (our own fixed markup)
    # The fragment is HTML rendered by our own templates, escaped as they render it.
    return mark_safe(render_part(request, name, argument))  # noqa: S308


@register.inclusion_tag("includes/site_pages.html", takes_context=True)
def site_pages(context):
    """The footer's links to the publication's own pages: fixed addresses, no query."""
    page = context.get("page")
    return {"pages": PageKind.choices, "current": getattr(page, "kind", None)}
