"""Fragments for the misses (issue 19, core/fragments.py): a page the page cache cannot
answer renders only what changed since its fragments were cached. Run on the
local-memory cache and on Redis, as test_cache_tags."""

import pytest
from django.test import Client

from comments.models import Comment
from comments.services import comments_set_status
from tests.factories import (
    ArticleFactory,
    BylineFactory,
    CommentFactory,
    ContributorFactory,
    SectionFactory,
)
from tests.newsroom.test_cache_tags import cached, page_cache, renders, warm
from tests.newsroom.test_page_cache import cache_status

pytestmark = pytest.mark.django_db
__all__ = ["page_cache"]  # The fixture, parametrised on both caches, applies here too.

STORY_PARTS = {"articles/story_text.html", "articles/story_extras.html"}


@pytest.fixture
def story():
    sport = SectionFactory(slug="sport")
    story = ArticleFactory(section=sport, comments_mode="open", headline="Derby tonight")
    ArticleFactory(section=sport, headline="Cup final")
    return story


def miss(url, number=[0]):  # noqa: B006 (a counter: each call a query string never seen)
    number[0] += 1
    response = Client().get(f"{url}{'&' if '?' in url else '?'}from=newsletter-{number[0]}")
    assert cache_status(response) == "miss"
    return response


def test_a_miss_with_warm_fragments_renders_no_part_of_the_story(story):
    miss(story.get_absolute_url())
    with renders() as rendered:
        response = miss(story.get_absolute_url())
    assert "Derby tonight" in response.text
    assert not STORY_PARTS & set(rendered)
    assert "comments/review_list.html" not in rendered
    assert "includes/story_card.html" not in rendered


def test_a_new_query_string_on_a_story_is_answered_with_no_query_and_no_render(
    story, django_assert_num_queries
):
    """The page every reader gets is kept by the story's address: a page-cache miss that
    changes nothing on the page reads it from the cache, and stitches the chrome."""
    miss(story.get_absolute_url())
    with renders() as rendered, django_assert_num_queries(0):
        response = miss(story.get_absolute_url())
    assert rendered == []
    assert "Derby tonight" in response.text and "Cup final" in response.text  # News Line
    assert "newsroom-chrome" not in response.text


def test_the_page_kept_for_everyone_varies_on_what_the_page_reads(story, settings):
    settings.COMMENTS_PER_PAGE = 1
    CommentFactory(article=story, status=Comment.Status.APPROVED, body="First to write")
    CommentFactory(article=story, status=Comment.Status.APPROVED, body="Second to write")
    first, second = miss(story.get_absolute_url()), miss(f"{story.get_absolute_url()}?reviews=2")
    assert {"First to write" in first.text, "First to write" in second.text} == {True, False}
    assert miss(f"{story.get_absolute_url()}?reviews=2").text == second.text


def test_approving_a_review_renders_the_reviews_block_and_not_the_story_text(story):
    review = CommentFactory(article=story, status=Comment.Status.PENDING, body="Great derby")
    miss(story.get_absolute_url())
    comments_set_status(comments=Comment.objects.filter(pk=review.pk), status="approved")
    with renders() as rendered:
        response = miss(story.get_absolute_url())
    assert "Great derby" in response.text
    assert rendered.count("comments/review_list.html") == 1
    assert not STORY_PARTS & set(rendered)


def test_editing_a_story_renders_its_text_and_card_and_not_its_reviews_or_other_cards(story):
    miss(story.get_absolute_url())
    miss("/en/sport/")
    story.lead = "Kick-off moved to eight"
    story.save()
    with renders() as rendered:
        response = miss(story.get_absolute_url())
    assert "Kick-off moved to eight" in response.text
    assert set(rendered) >= STORY_PARTS
    assert "comments/review_list.html" not in rendered
    with renders() as rendered:
        section = miss("/en/sport/")
    assert "Kick-off moved to eight" in section.text
    assert rendered.count("includes/story_card.html") == 1  # Its own; not the Cup final's.


def test_a_reader_with_a_session_is_served_the_cached_fragments(story, client, django_user_model):
    client.force_login(django_user_model.objects.create_user("reader"))
    client.get(story.get_absolute_url())
    with renders() as rendered:
        response = client.get(story.get_absolute_url())
    assert "Derby tonight" in response.text and "Leave a review" in response.text
    assert not STORY_PARTS & set(rendered)


def test_tagging_a_published_story_drops_its_page_and_the_tag_page(story):
    other = ArticleFactory(section=story.section, headline="Cup draw")
    other.tags.add("football")
    pages = [story.get_absolute_url(), "/en/tags/football/", other.get_absolute_url()]
    warm(pages)
    story.tags.add("football")  # No save(): the admin's save_related does the same.
    assert cached(pages) == {other.get_absolute_url()}
    assert "Derby tonight" in Client().get("/en/tags/football/").text


def test_a_new_byline_drops_the_story_and_the_authors_page(story):
    writer = ContributorFactory(name="Leyla Mammadova")
    BylineFactory(article=ArticleFactory(section=story.section), contributor=writer)
    elsewhere = ArticleFactory(section=SectionFactory(slug="culture")).get_absolute_url()
    pages = [story.get_absolute_url(), writer.get_absolute_url(), elsewhere]
    warm(pages)
    BylineFactory(article=story, contributor=writer)
    assert cached(pages) == {elsewhere}
    assert "Leyla Mammadova" in Client().get(story.get_absolute_url()).text
    assert "Derby tonight" in Client().get(writer.get_absolute_url()).text


def test_a_search_asked_again_is_not_searched_again_until_a_story_it_could_list_changes(story):
    url = "/en/search/?q=derby"
    assert "Derby tonight" in miss(url).text
    with renders() as rendered:
        again = miss(url)
    assert "Derby tonight" in again.text
    assert "articles/search_results.html" not in rendered
    ArticleFactory(section=story.section, headline="Derby replay")  # A new match.
    assert "Derby replay" in miss(url).text
    story.headline = "Derby postponed"
    story.save()
    assert "Derby postponed" in miss(url).text
