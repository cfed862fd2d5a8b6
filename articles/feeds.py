"""RSS 2.0 and Atom feeds of the latest stories, per language: home, section, tag, author.

Each feed is one ``StoryFeed`` subclass; its Atom twin is the same class built with
``feed_type=Atom1Feed`` (see articles/urls.py). What a feed may list is decided by
``Article.objects.published()`` through ``published_here()``, as on the pages themselves.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.core.files.storage import default_storage
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Enclosure, Rss201rev2Feed
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from core.cache import record_tags

from .cache_tags import lists
from .home import published_here
from .images import card_rendition
from .live import polled_updates
from .models import Article, Contributor, Section
from .views import tag_in_language

FEED_SIZE = 30


@dataclass(frozen=True)
class FeedPage:
    """What a feed is about (a section, tag or contributor; nothing for the home feed).

    It carries the request because one feed instance serves every request: enclosure
    addresses are made absolute from it, never from state kept on the instance.
    """

    request: HttpRequest
    subject: object = None


def lead_image_enclosures(story, request):
    """The lead picture as a JPEG 16:9 crop, with its size in bytes as RSS requires."""
    if not story.lead_image:
        return []
    card = card_rendition(story.lead_image, "16:9")
    if card is None:  # Still being made by a worker.
        return []
    try:
        length = default_storage.size(card.name)
    except OSError:  # Not written (yet): better no enclosure than one with a wrong length.
        return []
    return [Enclosure(request.build_absolute_uri(card.url), str(length), "image/jpeg")]


class StoryFeed(Feed):
    """The latest stories of a page, in the page's language; RSS 2.0 unless told otherwise.

    Bylines and tags are prefetched, so a feed costs the same number of queries for
    one story as for thirty.
    """

    def __init__(self, feed_type=Rss201rev2Feed):
        self.feed_type = feed_type

    def get_object(self, request, **kwargs):
        return FeedPage(request)

    def stories(self, page):
        return published_here()

    def items(self, page):
        record_tags(f"feeds:{get_language()}")
        lists(page.subject)
        stories = list(
            self.stories(page).prefetch_related("tags", "bylines__contributor")[:FEED_SIZE]
        )
        for story in stories:
            story.feed_enclosures = lead_image_enclosures(story, page.request)
        return stories

    def description(self, page):
        # RSS readers take the channel description as HTML, like an item's; it is built
        # from names editors and journalists type (section descriptions, tags, authors).
        return escape(self.channel_description(page))

    def subtitle(self, page):
        # Atom's name for the channel description; Atom says it is text, not HTML.
        return self.channel_description(page)

    def item_title(self, story):
        return story.headline

    def item_description(self, story):
        # Feed readers take the description as HTML; the lead is plain text.
        return escape(story.lead)

    def item_author_name(self, story):
        # Feeds have one author field: everyone credited, in byline order, once each.
        names = dict.fromkeys(byline.contributor.name for byline in story.bylines.all())
        return ", ".join(names) or None

    def item_categories(self, story):
        return [story.section.display_name, *(tag.name for tag in story.tags.all())]

    def item_enclosures(self, story):
        return story.feed_enclosures

    def item_pubdate(self, story):
        return story.published_at

    def item_updateddate(self, story):
        return story.updated_at

    # The item's unique id is its link, the story's absolute address (Django's default).


class HomeFeed(StoryFeed):
    def title(self, page):
        return settings.SITE_NAME

    def link(self, page):
        return reverse("articles:home")

    def channel_description(self, page):
        return _("News, analysis and video in English, Russian and Azerbaijani.")


class SectionFeed(StoryFeed):
    def get_object(self, request, section):
        return FeedPage(request, get_object_or_404(Section.objects.active(), slug=section))

    def stories(self, page):
        return super().stories(page).filter(section=page.subject)

    def title(self, page):
        return f"{page.subject.display_name} · {settings.SITE_NAME}"

    def link(self, page):
        return page.subject.get_absolute_url()

    def channel_description(self, page):
        return page.subject.description or page.subject.display_name


class TagFeed(StoryFeed):
    def get_object(self, request, tag):
        return FeedPage(request, tag_in_language(tag, get_language()))

    def stories(self, page):
        return super().stories(page).filter(tags=page.subject)

    def title(self, page):
        return f"{page.subject.name} · {settings.SITE_NAME}"

    def link(self, page):
        return reverse("articles:tag", kwargs={"tag": page.subject.slug})

    def channel_description(self, page):
        return _("Stories tagged “%(tag)s”.") % {"tag": page.subject.name}


class AuthorFeed(StoryFeed):
    def get_object(self, request, slug):
        return FeedPage(request, get_object_or_404(Contributor, slug=slug))

    def stories(self, page):
        return super().stories(page).filter(bylines__contributor=page.subject).distinct()

    def title(self, page):
        return f"{page.subject.name} · {settings.SITE_NAME}"

    def link(self, page):
        return page.subject.get_absolute_url()

    def channel_description(self, page):
        return _("Stories by %(name)s.") % {"name": page.subject.name}


class LiveStoryFeed(Feed):
    """A live story's newest updates, each its own item at its own address; RSS 2.0
    unless told otherwise (Atom, as ``StoryFeed``)."""

    def __init__(self, feed_type=Rss201rev2Feed):
        self.feed_type = feed_type

    def get_object(self, request, section, slug):
        return get_object_or_404(
            Article.objects.published().in_language().select_related("section"),
            section__slug=section,
            slug=slug,
            live_from__isnull=False,
        )

    def items(self, story):
        return polled_updates(story)

    def title(self, story):
        return f"{story.headline} · {settings.SITE_NAME}"

    def link(self, story):
        return story.get_absolute_url()

    def description(self, story):
        return escape(story.lead or story.headline)

    def item_title(self, update):
        return update.headline

    def item_description(self, update):
        # Rich text sanitised with nh3 when it was saved, as the page shows it.
        return update.body

    def item_link(self, update):
        return update.get_absolute_url()

    def item_author_name(self, update):
        return update.author_name or None

    def item_pubdate(self, update):
        return update.created_at

    def item_updateddate(self, update):
        return update.edited_at or update.created_at
