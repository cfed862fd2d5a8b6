import functools
import re

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import InvalidPage, Paginator
from django.http import Http404, HttpResponse, HttpResponsePermanentRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.utils.http import urlencode
from django.utils.translation import get_language
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from django.views.generic import DetailView, ListView, TemplateView
from taggit.models import Tag

from core.cache import collecting_tags, record_tags
from core.fragments import cached_html, is_shared_request, render_fragment
from core.ratelimits import too_many_requests, wait_for
from core.readers import request_ip_hash

from . import live, related, search, structured_data
from .cache_tags import lists
from .frontpage import front_page
from .home import MOST_READ_SECONDS, most_read, published_here, section_blocks
from .models import (
    Article,
    ArticleRedirect,
    Contributor,
    Page,
    Section,
    SectionRedirect,
    StoryViewCount,
    TagLanguage,
)
from .preview import previewable_story
from .schedule import next_change_at

STORIES_PER_PAGE = 20
# The query parameters the story page reads (the reviews block's page): the page kept for
# every reader varies on these, and on no other part of the query string.
STORY_PAGE_PARAMETERS = ("reviews",)
BOT_USER_AGENT = re.compile(
    r"bot|crawl|spider|slurp|preview|facebookexternalhit|headless|python|curl|wget|monitor",
    re.IGNORECASE,
)


class HomeView(TemplateView):
    template_name = "articles/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lists()
        context["structured_data"] = [structured_data.website(self.request)]
        lead, *top = front_page(published_here(), get_language())
        top = [story for story in top if story is not None]
        shown = tuple(story.pk for story in [lead, *top] if story is not None)
        # The two costly parts of the page are fragments: the section blocks under the
        # language's front-page tag (publishing there renders them again), Most read for
        # a few minutes (reads are counted all the time; no page waits for them).
        context.update(
            lead=lead,
            top_stories=top,
            most_read=render_fragment(
                "most-read",
                (),
                "articles/home_most_read.html",
                most_read,
                self.request,
                seconds=MOST_READ_SECONDS,
            ),
            section_blocks=section_blocks(shown),
        )
        return context


class StoryListView(ListView):
    paginate_by = STORIES_PER_PAGE
    context_object_name = "stories"

    def get_queryset(self):
        lists()
        return published_here()


class NewsLineView(StoryListView):
    template_name = "articles/news_line.html"
    paginate_by = 30


def follow_renamed_section(view):
    """Wrap a view whose address starts with a section's slug: where that is a slug the
    section had before a rename (and nothing answers there now), answer with a permanent
    redirect to the same page, query string included, under the section's slug now."""

    @functools.wraps(view)
    def wrapped(request, *args, section, **kwargs):
        try:
            return view(request, *args, section=section, **kwargs)
        except Http404:
            moved = SectionRedirect.objects.filter(old_slug=section).select_related("section")
            moved = moved.first()
            if moved is None:
                raise
            address = reverse(
                request.resolver_match.view_name,
                kwargs={**kwargs, "section": moved.section.slug},
            )
            query = request.META.get("QUERY_STRING")
            return HttpResponsePermanentRedirect(f"{address}?{query}" if query else address)

    return wrapped


class SectionView(StoryListView):
    template_name = "articles/section.html"

    def get_queryset(self):
        """The section's stories after its lead: the one an editor placed there while it
        counts (``articles.frontpage``), else the latest; the lead heads the first page."""
        self.section = get_object_or_404(Section.objects.active(), slug=self.kwargs["section"])
        lists(self.section)
        stories = super().get_queryset().filter(section=self.section)
        (self.lead,) = front_page(stories, get_language(), self.section)
        return stories if self.lead is None else stories.exclude(pk=self.lead.pk)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            section=self.section,
            lead=self.lead if context["page_obj"].number == 1 else None,
            structured_data=[
                structured_data.collection_page(
                    self.request,
                    self.section.display_name,
                    self.section.get_absolute_url(),
                    self.section.description,
                )
            ],
        )
        return context


class TagElsewhere(Http404):
    """The tag is another language's; ``translation`` is its tag in this one."""

    def __init__(self, translation):
        super().__init__(translation.name)
        self.translation = translation


def tag_in_language(slug, language):
    """The tag at ``slug`` for a page in ``language``. A tag of another language has no
    page here: ``TagElsewhere`` (a 404) says its translation into this one, if any."""
    tag = get_object_or_404(Tag.objects.select_related("language_info"), slug=slug)
    try:
        info = tag.language_info
    except TagLanguage.DoesNotExist:
        info = None
    if info is None or info.language == language:
        return tag
    translation = TagLanguage.objects.translations([tag], language).get(tag.pk)
    if translation is None:
        raise Http404(tag.name)
    raise TagElsewhere(translation)


class TagView(StoryListView):
    template_name = "articles/tag.html"

    def get(self, request, *args, **kwargs):
        try:
            self.tag = tag_in_language(kwargs["tag"], get_language())
        except TagElsewhere as elsewhere:
            address = reverse("articles:tag", kwargs={"tag": elsewhere.translation.slug})
            return HttpResponsePermanentRedirect(address)
        return super().get(request, *args, **kwargs)

    def get_queryset(self):
        lists(self.tag)
        return super().get_queryset().filter(tags=self.tag)

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            tag=self.tag,
            structured_data=[
                structured_data.collection_page(self.request, self.tag.name, self.request.path)
            ],
            **kwargs,
        )


class AuthorView(StoryListView):
    template_name = "articles/author.html"

    def get_queryset(self):
        self.contributor = get_object_or_404(
            Contributor.objects.select_related("photo"), slug=self.kwargs["slug"]
        )
        lists(self.contributor)
        return super().get_queryset().filter(bylines__contributor=self.contributor).distinct()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            contributor=self.contributor,
            structured_data=[structured_data.profile_page(self.request, self.contributor)],
            **kwargs,
        )


class SearchView(TemplateView):
    template_name = "articles/search.html"

    def get_context_data(self, **kwargs):
        query, shortened = search.clean_query(self.request.GET.get("q", ""))
        page = self.request.GET.get("page", "1")[:10]
        language = get_language()

        def results():
            paginator = Paginator(search.SearchResults(query, language), STORIES_PER_PAGE)
            try:
                page_obj = paginator.page("last" if page == "last" else page)
            except InvalidPage as error:
                raise Http404(error) from error
            return {
                "query": query,
                "stories": page_obj.object_list,
                "page_obj": page_obj,
                "paginator": paginator,
                "is_paginated": page_obj.has_other_pages(),
                "max_matches": settings.SEARCH_MAX_MATCHES,
                "page_query": urlencode({"q": query}),
            }

        # A page of results is a fragment under the tags of the stories it lists, and of
        # the language's new stories (one may match): asked again, it is not searched again.
        return super().get_context_data(
            query=query,
            query_shortened=shortened,
            max_query_length=search.MAX_QUERY_LENGTH,
            results=query
            and render_fragment(
                "search",
                (query, page),
                "articles/search_results.html",
                results,
                self.request,
                tags=[f"front:{language}"],
            ),
            **kwargs,
        )


class PageView(DetailView):
    """One of the publication's own pages (About, Privacy...) in the reader's language."""

    template_name = "articles/page.html"
    context_object_name = "page"

    def get_object(self, queryset=None):
        return get_object_or_404(Page, language=get_language(), kind=self.kwargs["kind"])


class StoryView(DetailView):
    template_name = "articles/story.html"
    context_object_name = "article"

    def get_queryset(self):
        # Those who may change or view stories preview any story at its address; everyone
        # else (a moderator included) only sees published ones.
        return (
            Article.objects.for_story_page()
            .visible_to(self.request.user)
            .filter(language=get_language(), section__slug=self.kwargs["section"])
        )

    def get_object(self, queryset=None):
        # The tags of the story and everything loaded with it (section, pictures, bylines,
        # links), for the fragments of its text (article_tags.story_fragments).
        with collecting_tags() as shown:
            story = super().get_object(queryset)
        story.loaded_tags = frozenset(shown)
        return story

    def get(self, request, *args, **kwargs):
        try:
            if is_shared_request(request):
                return self.page_for_everyone()
            return super().get(request, *args, **kwargs)
        except Http404:
            # Only on a miss: a story whose slug or section changed since this address
            # was published answers with a permanent redirect to where it lives now.
            moved = ArticleRedirect.objects.moved_story(
                get_language(), self.kwargs["section"], self.kwargs["slug"]
            )
            if moved is None:
                raise
            return HttpResponsePermanentRedirect(moved.get_absolute_url())

    def page_for_everyone(self):
        """The page every reader without a session gets: a fragment under the tags of all
        it shows, kept as long as the page cache keeps pages and keyed by the story's
        address and the parameters it reads, not by the whole query string. A page-cache
        miss that changes nothing on the page (a campaign's utm_ parameters, a share
        button's marker) is answered from it; the chrome stays placeholders."""
        vary = (
            self.kwargs["section"],
            self.kwargs["slug"],
            self.request.scheme,
            *(self.request.GET.get(name, "")[:10] for name in STORY_PAGE_PARAMETERS),
        )
        content, cache_control = cached_html(
            "story-page",
            vary,
            self.render_for_everyone,
            self.request,
            seconds=settings.PAGE_CACHE_SECONDS,
            until=next_change_at,
        )
        response = HttpResponse(content)
        if cache_control:
            response["Cache-Control"] = cache_control
        return response

    def render_for_everyone(self):
        """The page's content and ``Cache-Control`` (a live story's is short) with the
        chrome as placeholders; Http404 for a story readers may not see."""
        self.object = self.get_object()
        holes = getattr(self.request, "page_cache_holes", False)
        self.request.page_cache_holes = True
        try:
            response = self.render_to_response(self.get_context_data(object=self.object))
            response.render()
        finally:
            self.request.page_cache_holes = holes
        return response.content, response.get("Cache-Control")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        article = self.object
        if article.is_live_story:
            context.update(live.page_context(self.request, article))
        # One query for both: the story page's budget has no room for two.
        beside = list(
            Article.objects.published()
            .translations_and_suggestions(article)
            .select_related("section")
        )
        group = article.translation_group
        translations = [story for story in beside if story.translation_group == group]
        suggested = [story for story in beside if story.translation_group != group]
        record_tags(f"related:{article.pk}")  # Invalidated when its suggestions change.
        context.update(
            is_preview=not article.is_published,
            translations=translations,
            suggested_stories=related.automatic_links(article, suggested),
            # Only a published story is offered in its other languages.
            translation_urls={
                story.language: story.get_absolute_url()
                for story in [article, *translations]
                if story.is_published
            },
            structured_data=[
                structured_data.news_article(self.request, article, context.get("live_updates")),
                structured_data.breadcrumbs(
                    self.request,
                    (settings.SITE_NAME, reverse("articles:home")),
                    (article.section.display_name, article.section.get_absolute_url()),
                    (article.headline, article.get_absolute_url()),
                ),
            ],
        )
        return context

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if context["is_preview"]:
            add_never_cache_headers(response)
        elif self.object.is_live_now:
            # Shared caches keep a live page for seconds only: a reload shows new updates.
            patch_cache_control(response, s_maxage=settings.LIVE_SHARED_CACHE_SECONDS)
        return response


def live_updates(request, section, slug):
    """The live page's polling endpoint: the newest updates as the page shows them, and
    whether coverage has ended. The same answer for every reader (each page works out
    what is new to it), so shared caches keep it for a few seconds and the page cache
    until an update changes; two queries, however many updates."""
    story = get_object_or_404(
        Article.objects.published().select_related("section"),
        language=get_language(),
        section__slug=section,
        slug=slug,
        live_from__isnull=False,
    )
    updates = [
        {
            "id": update.pk,
            "html": render_to_string(
                "includes/live_update.html", {"update": update, "article": story}, request
            ),
        }
        for update in live.polled_updates(story)
    ]
    response = JsonResponse({"ended": not story.is_live_now, "updates": updates})
    patch_cache_control(
        response,
        public=True,
        max_age=settings.LIVE_SHARED_CACHE_SECONDS,
        s_maxage=settings.LIVE_SHARED_CACHE_SECONDS,
    )
    return response


@csrf_exempt  # An anonymous counter a page sends with navigator.sendBeacon; it changes
@require_POST  # no reader's data, and a forged count only moves one aggregate.
def beacon(request, pk):
    """Count one anonymous read of a published story: bots and staff are not counted,
    and one address counts once per story per hour (remembered only in the cache).
    A flood from one address is refused with 429 before it costs a query."""
    reader = request_ip_hash(request)
    retry_after = wait_for(request, "newsroom:beacon", settings.RATE_LIMIT_BEACON, reader)
    if retry_after:
        return too_many_requests(retry_after)
    user_agent = request.headers.get("User-Agent", "")
    if not user_agent or BOT_USER_AGENT.search(user_agent) or request.user.is_staff:
        return HttpResponse(status=204)
    now = timezone.now()
    first_time = cache.add(f"beacon:{pk}:{reader}:{now:%Y%m%d%H}", 1, timeout=3600)
    if first_time and Article.objects.published().filter(pk=pk).exists():
        StoryViewCount.count(pk, now)
    return HttpResponse(status=204)


def shared_preview(request, token):
    """A draft shared through a signed, expiring link: no login, never cached or indexed."""
    story = previewable_story(token, get_language())
    if story is None:
        raise Http404
    response = render(request, "articles/story.html", {"article": story, "is_preview": True})
    add_never_cache_headers(response)
    patch_cache_control(response, private=True)
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response
