from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.shortcuts import get_object_or_404
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from . import search
from .models import Article, Contributor, Section

STORIES_PER_PAGE = 20
STORIES_PER_SECTION_BLOCK = 4


def published_here():
    """Stories readers may see, in the language of the current page, ready for cards."""
    return Article.objects.published().in_language(get_language()).for_listing()


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lead = published_here().first()
        # The latest few stories of every section in one query, whatever the number of sections.
        ranked = (
            published_here()
            .exclude(pk=getattr(lead, "pk", None))
            .filter(section__is_active=True)
            .annotate(
                rank=Window(
                    RowNumber(),
                    partition_by=F("section_id"),
                    order_by=[F("published_at").desc(), F("pk").desc()],
                )
            )
            .filter(rank__lte=STORIES_PER_SECTION_BLOCK)
            .order_by("section__position", "section__name", "rank")
        )
        blocks = {}
        for article in ranked:
            blocks.setdefault(article.section, []).append(article)
        context.update(lead=lead, section_blocks=list(blocks.items()))
        return context


class StoryListView(ListView):
    paginate_by = STORIES_PER_PAGE
    context_object_name = "stories"

    def get_queryset(self):
        return published_here()


class NewsLineView(StoryListView):
    template_name = "articles/news_line.html"
    paginate_by = 30


class SectionView(StoryListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        self.section = get_object_or_404(Section.objects.active(), slug=self.kwargs["section"])
        return super().get_queryset().filter(section=self.section)

    def get_context_data(self, **kwargs):
        return super().get_context_data(section=self.section, **kwargs)


class TagView(StoryListView):
    template_name = "articles/tag.html"

    def get_queryset(self):
        self.tag = get_object_or_404(Tag, slug=self.kwargs["tag"])
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(tag=self.tag, **kwargs)


class AuthorView(StoryListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.contributor = get_object_or_404(
            Contributor.objects.select_related("photo"), slug=self.kwargs["slug"]
        )
        return super().get_queryset().filter(bylines__contributor=self.contributor).distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(contributor=self.contributor, **kwargs)


class SearchView(ListView):
    template_name = "articles/search.html"
    paginate_by = STORIES_PER_PAGE
    context_object_name = "stories"

    def get_queryset(self):
        self.query, self.query_shortened = search.clean_query(self.request.GET.get("q", ""))
        return search.search_stories(self.query, get_language())

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            query=self.query,
            query_shortened=self.query_shortened,
            max_query_length=search.MAX_QUERY_LENGTH,
            page_query=urlencode({"q": self.query}),
            **kwargs,
        )


class StoryView(DetailView):
    template_name = "articles/story.html"
    context_object_name = "article"

    def get_queryset(self):
        stories = Article.objects.for_story_page().filter(
            language=get_language(), section__slug=self.kwargs["section"]
        )
        # Staff may preview any story at its address; readers only see published ones.
        if self.request.user.is_staff:
            return stories
        return stories.published()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["is_preview"] = not self.object.is_published
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
        return response
