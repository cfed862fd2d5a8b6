"""``{% newsletter_form %}``: the subscribe form for the page's language, for the footer
and below stories (templates of lower floors load it by name, without importing us)."""

from django import template
from django.utils.translation import get_language

from core.cache import tagged

from ..models import Newsletter

register = template.Library()


def _choices(language):
    """The open newsletters of ``language``: every page shows them, so they are cached
    under the newsletters' tag (a newsletter's save invalidates it, and the pages showing
    it), and cost no query on a warm cache."""
    return tagged(
        f"newsletters:{language}",
        lambda: list(Newsletter.objects.filter(is_active=True, language=language)),
        timeout=60 * 60,
    )


@register.inclusion_tag("newsletters/form.html")
def newsletter_form(place="footer"):
    return {
        "choices": _choices(get_language()),
        "place": place,
    }
