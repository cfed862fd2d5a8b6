from django.urls import path, register_converter
from django.urls.converters import SlugConverter

from . import views


class UnicodeSlugConverter(SlugConverter):
    """A slug that keeps its letters: django-taggit slugifies tag names with allow_unicode,
    so a Russian or Azerbaijani tag has a slug like "армения" or "çətin-sual"."""

    regex = r"[-\w]+"


register_converter(UnicodeSlugConverter, "unicode_slug")

app_name = "articles"

urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("news-line/", views.NewsLineView.as_view(), name="news_line"),
    path("tags/<unicode_slug:tag>/", views.TagView.as_view(), name="tag"),
    path("authors/<slug:slug>/", views.AuthorView.as_view(), name="author"),
    path("<slug:section>/", views.SectionView.as_view(), name="section"),
    path("<slug:section>/<slug:slug>/", views.StoryView.as_view(), name="story"),
]
