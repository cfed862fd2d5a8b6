"""``{% newsletter_form %}``: the subscribe form for the page's language, for the footer
and below stories (templates of lower floors load it by name, without importing us)."""

from django import template
from django.utils.translation import get_language

from ..models import Newsletter

register = template.Library()


def _choices(request):
    """The open newsletters of the page's language: one query for the page, however many
    forms it shows (a story page has two), kept on the request."""
    language = get_language()
    cached = getattr(request, "_newsletter_choices", None)
    if cached is None or cached[0] != language:
        cached = (language, list(Newsletter.objects.filter(is_active=True, language=language)))
        if request is not None:
            request._newsletter_choices = cached
    return cached[1]


@register.inclusion_tag("newsletters/form.html", takes_context=True)
def newsletter_form(context, place="footer"):
    return {
        "choices": _choices(context.get("request")),
        "place": place,
        "csrf_token": context.get("csrf_token"),
    }
