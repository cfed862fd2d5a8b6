from django import template
from django.urls import reverse
from django.utils.translation import get_language

from articles import search
from articles.images import card_rendition, srcset

register = template.Library()


@register.inclusion_tag("includes/picture.html")
def picture(image, sizes="100vw", eager=False, css_class=""):
    """A library image as ``<picture>``: WebP renditions with a JPEG fallback, 16:9 crops
    around the focal point, intrinsic size for layout stability, lazy unless ``eager``."""
    webp, _files = srcset(image, fmt="webp")
    jpeg, files = srcset(image, fmt="jpeg")
    fallback = files[min(1, len(files) - 1)]
    return {
        "alt": image.alt_for(get_language()),
        "webp_srcset": webp,
        "jpeg_srcset": jpeg,
        "fallback": fallback,
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }


@register.simple_tag
def crop(image, ratio):
    """The large crop made for cards and structured data (``"1:1"`` or ``"4:3"``)."""
    return card_rendition(image, ratio)


@register.filter
def alt_text(image, language):
    return image.alt_for(language)


@register.inclusion_tag("includes/feed_links.html")
def feed_links(title, url_name, *args):
    """``<link rel="alternate">`` to a page's RSS feed (``url_name``) and its Atom twin
    (``url_name`` + ``_atom``), for feed readers and browsers to discover."""
    return {
        "title": title,
        "rss_url": reverse(url_name, args=args),
        "atom_url": reverse(f"{url_name}_atom", args=args),
    }


@register.filter
def marked(text):
    """Search-result text with its hits in <mark> and everything else escaped."""
    return search.marked(text)
