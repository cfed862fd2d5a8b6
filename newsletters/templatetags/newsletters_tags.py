"""``{% newsletter_form %}``: the subscribe form for the page's language, for the footer
and below stories (templates of lower floors load it by name, without importing us)."""

from django import template
from django.core.cache import cache
from django.utils.translation import get_language

from core.cache import versioned_key

from ..models import Newsletter

register = template.Library()


def _choices(language):
    """The open newsletters of ``language``: every page shows them, so they are cached
    under the content version (a newsletter's save moves it on), like the site chrome,
    and cost no query on a warm cache."""
    key = versioned_key("newsletters", language)
    choices = cache.get(key)
    if choices is None:
        choices = list(Newsletter.objects.filter(is_active=True, language=language))
        cache.set(key, choices, timeout=60 * 60)
    return choices


@register.inclusion_tag("newsletters/form.html", takes_context=True)
def newsletter_form(context, place="footer"):
    return {
        "choices": _choices(get_language()),
        "place": place,
        "csrf_token": context.get("csrf_token"),
    }
