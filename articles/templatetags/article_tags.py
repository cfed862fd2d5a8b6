from dataclasses import dataclass

from django import template
from django.templatetags.static import static
from django.urls import reverse
from django.utils.translation import get_language

from articles import search
from articles.body_pictures import render_body
from articles.images import PLACEHOLDER, WIDTHS, card_rendition, crop_size, srcset
from articles.models import Article, Image
from core.fragments import render_fragments

register = template.Library()


@register.inclusion_tag("includes/picture.html", takes_context=True)
def picture(context, image, sizes="100vw", eager=False, css_class="", language=None):
    """A library image as ``<picture>``: WebP renditions with a JPEG fallback, 16:9 crops
    around the focal point, intrinsic size for layout stability, lazy unless ``eager``.

    Only renditions a worker has written are offered. Before the first ones exist (a new
    picture, a moment after it is saved) a placeholder of the crop's shape stands in:
    never a broken image nor the full-size original, and no cache keeps the page.
    """
    webp, _files = srcset(image, fmt="webp")
    jpeg, files = srcset(image, fmt="jpeg")
    if not files:
        mark_pending(context)
    return {
        "alt": image.alt_for(language or get_language()),
        "webp_srcset": webp,
        "jpeg_srcset": jpeg,
        "fallback": files[min(1, len(files) - 1)] if files else None,
        "placeholder": static(PLACEHOLDER),
        "placeholder_size": crop_size(image, WIDTHS[1], "16:9"),
        "sizes": sizes,
        "eager": eager,
        "css_class": css_class,
    }


@register.simple_tag(takes_context=True)
def crop(context, image, ratio):
    """The large crop made for cards and structured data (``"1:1"`` or ``"4:3"``), or
    None while its renditions are being made (templates then leave the picture out, and
    no cache keeps the page)."""
    made = card_rendition(image, ratio)
    if made is None:
        mark_pending(context)
    return made


def mark_pending(context):
    """Tell the page cache that this page lacks a picture a worker is still making
    renditions of: caching it would keep the gap past the moment they exist."""
    if (request := context.get("request")) is not None:
        request.shows_pending_picture = True


@register.simple_tag(takes_context=True)
def story_body(context, article):
    """The story's body as readers get it: its library pictures as ``<picture>`` from
    their renditions (``body_pictures.render_body``). One query for all of them, and
    none for a body without pictures, so the story page's budget holds."""
    images = Image.objects.in_body(article.body)
    return render_body(article.body, images, article.language, context=context)


@register.simple_tag(takes_context=True)
def story_fragments(context, article):
    """The story page's text (headline to body) and what follows it (corrections, sharing,
    tags, related links) as cached fragments under the tags of what they show, looked up
    together: a page-cache miss, a reader with a session, a review approved render
    neither again. Its live updates, reviews and per-page parts stay outside."""
    request = context.get("request")
    vary = (article.pk, article.updated_at.timestamp())
    tags = getattr(article, "loaded_tags", None) or article.shown_tags()
    # The suggestions are read per request (an exclusion or an unpublished story shows at
    # once): the extras vary on which they are and carry their stories' tags.
    suggested = context.get("suggested_stories") or []
    extras_vary = (*vary, *(story.pk for story in suggested))
    extras_tags = {*tags, *(tag for story in suggested for tag in story.shown_tags())}
    text, extras = render_fragments(
        [
            ("story-text", vary, "articles/story_text.html", lambda: {"article": article}, tags),
            (
                "story-extras",
                extras_vary,
                "articles/story_extras.html",
                lambda: {"article": article, "suggested_stories": suggested},
                extras_tags,
            ),
        ],
        request,
    )
    return {"text": text, "extras": extras}


@register.simple_tag(takes_context=True)
def story_cards(context, stories, large=False, show_image=False, show_lead=False, heading="h3"):
    """The cards of ``stories`` (a story or a list), each a cached fragment under its
    story's tags and looked up together: a list page that misses the page cache renders
    only the cards of stories that changed. Use as ``{% story_cards … as cards %}``."""
    stories = [stories] if isinstance(stories, Article) else [s for s in stories if s]
    options = {"large": large, "show_image": show_image, "show_lead": show_lead}
    options["heading"] = heading

    def spec(story):
        # The review count is in the key, not a tag: a card per count, no invalidation.
        vary = (
            story.pk,
            story.updated_at.timestamp(),
            getattr(story, "approved_review_count", None),
            *options.values(),
        )
        tags = {
            *story.shown_tags(),
            "nav",
            *([f"image:{story.lead_image_id}"] if story.lead_image_id else []),
        }
        return (
            "card",
            vary,
            "includes/story_card.html",
            lambda: {"story": story, **options},
            tags,
        )

    return render_fragments([spec(story) for story in stories], context.get("request"))


@dataclass(frozen=True)
class ImageText:
    text: str
    language: str


@register.simple_tag
def image_text(image, field, language):
    """A picture's caption or credit (``field``) in ``language``, or in the language it
    was written in (``ImageText.language``, for ``lang``) when none was written in it."""
    return ImageText(*image.text_for(field, language))


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
