from django import template
from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import translation
from django.utils.translation import get_language, get_language_info

register = template.Library()


@register.inclusion_tag("includes/language_switcher.html", takes_context=True)
def language_switcher(context):
    """Links to this page in the other languages.

    Section, tag, author and list pages share their addresses across languages, so the
    same path under another prefix is the same page. A story's slug belongs to its
    language, so until it names its translations a story links to each language's home;
    so does the "Page not found" page (its context has ``request_path``), since the
    missing page is missing in every language.
    """
    request = context["request"]
    translations = context.get("translation_urls") or {}
    current = get_language()
    links = []
    for code, _name in settings.LANGUAGES:
        if code in translations:
            url = translations[code]
        elif "article" in context or "request_path" in context:
            with translation.override(code):
                url = reverse("articles:home")
        else:
            url = translate_url(request.get_full_path(), code)
        info = get_language_info(code)
        links.append(
            {"code": code, "name": info["name_local"], "url": url, "is_current": code == current}
        )
    return {"links": links}
