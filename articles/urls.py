from django.urls import path, register_converter
from django.urls.converters import StringConverter
from django.utils.feedgenerator import Atom1Feed

from . import feeds, views
from .models import PageKind


class TagSlugConverter(StringConverter):
    """Tag slugs keep their letters (django-taggit slugifies with allow_unicode):
    "физули", "bərpa". Django's <slug:> takes ASCII only, so such tags had no address."""

    regex = r"[-\w]+"


register_converter(TagSlugConverter, "tagslug")


class PageKindConverter(StringConverter):
    """The addresses of the publication's own pages (``Page.Kind``): "about", "privacy"..."""

    regex = "|".join(PageKind.values)


register_converter(PageKindConverter, "pagekind")


app_name = "articles"
renamed = views.follow_renamed_section

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("feed/", feeds.HomeFeed(), name="feed"),
    path("feed/atom/", feeds.HomeFeed(Atom1Feed), name="feed_atom"),
    path("news-line/", views.NewsLineView.as_view(), name="news_line"),
    path("tags/<tagslug:tag>/", views.TagView.as_view(), name="tag"),
    path("tags/<tagslug:tag>/feed/", feeds.TagFeed(), name="tag_feed"),
    path("tags/<tagslug:tag>/feed/atom/", feeds.TagFeed(Atom1Feed), name="tag_feed_atom"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("beacon/<int:pk>/", views.beacon, name="beacon"),
    path("preview/<str:token>/", views.shared_preview, name="preview"),
    path("authors/<slug:slug>/feed/", feeds.AuthorFeed(), name="author_feed"),
    path("authors/<slug:slug>/feed/atom/", feeds.AuthorFeed(Atom1Feed), name="author_feed_atom"),
    path("search/", views.SearchView.as_view(), name="search"),
    # Before the section address; their words are reserved section slugs.
    path("<pagekind:kind>/", views.PageView.as_view(), name="page"),
    # Addresses under a section's slug keep working after the section is renamed.
    path("<slug:section>/", renamed(views.SectionView.as_view()), name="section"),
    # Before the story address, which would otherwise take "feed" for a story's slug.
    path("<slug:section>/feed/", renamed(feeds.SectionFeed()), name="section_feed"),
    path(
        "<slug:section>/feed/atom/",
        renamed(feeds.SectionFeed(Atom1Feed)),
        name="section_feed_atom",
    ),
    path("<slug:section>/<slug:slug>/", renamed(views.StoryView.as_view()), name="story"),
    path("<slug:section>/<slug:slug>/updates/", renamed(views.live_updates), name="live_updates"),
    path("<slug:section>/<slug:slug>/feed/", renamed(feeds.LiveStoryFeed()), name="story_feed"),
    path(
        "<slug:section>/<slug:slug>/feed/atom/",
        renamed(feeds.LiveStoryFeed(Atom1Feed)),
        name="story_feed_atom",
    ),
]
