"""Text helpers for stories: slugs, tag input and the rich-text sanitiser."""

from urllib.parse import urlsplit

import nh3
from django.conf import settings
from slugify import slugify
from taggit.utils import _parse_tags

from core.text import strip_control_characters

# text-unidecode (behind python-slugify) drops the schwa, the most common
# Azerbaijani vowel; map it the way Azerbaijani outlets write it in URLs.
SLUG_REPLACEMENTS = [["ə", "e"], ["Ə", "E"]]
SLUG_MAX_LENGTH = 80


def slug_from_headline(headline):
    """An ASCII slug for any headline, Cyrillic and Azerbaijani included."""
    return slugify(
        headline, max_length=SLUG_MAX_LENGTH, word_boundary=True, replacements=SLUG_REPLACEMENTS
    )


def unique_slug(base, taken):
    """``base``, or ``base-2``, ``base-3``... whichever ``taken(slug)`` says is free."""
    base = base or "story"
    candidate, n = base, 1
    while taken(candidate):
        n += 1
        suffix = f"-{n}"
        candidate = base[: SLUG_MAX_LENGTH - len(suffix)] + suffix
    return candidate


def tags_from_string(text):
    r"""The story form's tag input (``TAGGIT_TAGS_FROM_STRING``): django-taggit's own
    parser, on the text without control characters. Tags are looked up by the name they
    would be saved under (every save drops controls, core/text.py), so "economy\x01" finds
    "economy" instead of making a second one the database refuses."""
    return _parse_tags(strip_control_characters(text))


# What CKEditor 5's toolbar can produce (see CKEDITOR_5_CONFIGS) and nothing more.
BODY_TAGS = {
    "p", "br", "h2", "h3", "h4", "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "a", "ul", "ol", "li", "blockquote", "figure", "figcaption", "img", "picture", "source",
    "table", "thead", "tbody", "tfoot", "tr", "th", "td", "caption", "hr", "iframe", "div",
    "span", "code", "pre",
}  # fmt: skip
BODY_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height", "srcset", "sizes", "loading"},
    "source": {"srcset", "type", "sizes", "media"},
    "figure": {"class"},
    "th": {"colspan", "rowspan", "scope"},
    "td": {"colspan", "rowspan"},
    "ol": {"start", "reversed"},
    "iframe": {"src", "width", "height", "title", "allowfullscreen"},
    "*": {"lang", "dir"},
}
BODY_URL_SCHEMES = {"http", "https", "mailto"}


def _keep_known_embeds(tag, attribute, value):
    # An iframe may only point at a video player host the newsroom trusts.
    if tag == "iframe" and attribute == "src":
        parts = urlsplit(value)
        if parts.scheme != "https" or parts.hostname not in settings.EMBED_HOSTS:
            return None
    return value


def clean_body(html):
    """Sanitise story HTML: no scripts, event handlers, ``javascript:`` URLs or foreign
    iframes, and no control characters (core/text.py).

    The controls go between two passes of the sanitiser: it turns ``&#x01;`` into the
    character itself, and dropping that character can join a URL scheme back together
    (``jav&#x01;ascript:``), so the second pass must judge the result.
    """
    sanitised = _sanitise(html or "")
    stripped = strip_control_characters(sanitised, multiline=True)
    return sanitised if stripped == sanitised else _sanitise(stripped)


def _sanitise(html):
    return nh3.clean(
        html,
        tags=BODY_TAGS,
        attributes=BODY_ATTRIBUTES,
        url_schemes=BODY_URL_SCHEMES,
        attribute_filter=_keep_known_embeds,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )
