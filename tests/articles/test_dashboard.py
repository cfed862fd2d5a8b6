"""The editors' dashboard on the admin index."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory
from tests.helpers import logged_in

pytestmark = pytest.mark.django_db

INDEX = "/admin/"


def stories_for(user, count=1):
    for n in range(count):
        ArticleFactory(headline=f"In review {n}", status=Article.Status.REVIEW, published_at=None)
        ArticleFactory(headline=f"Soon {n}", published_at=timezone.now() + timedelta(hours=3))
        ArticleFactory(headline=f"Next week {n}", published_at=timezone.now() + timedelta(days=7))
        ArticleFactory(headline=f"My draft {n}", draft=True, created_by=user)
        ArticleFactory(headline=f"Out now {n}")


def test_editor_sees_each_block_linking_to_its_filtered_list(editor):
    stories_for(editor)
    client = logged_in(editor)
    page = client.get(INDEX).content.decode()
    for title, story in [
        ("In review", "In review 0"),
        ("Scheduled in the next 24 hours", "Soon 0"),
        ("Your drafts", "My draft 0"),
        ("Recently published", "Out now 0"),
    ]:
        assert title in page and story in page
    assert "Next week 0" not in page
    changelist = reverse("admin:articles_article_changelist")
    for filters, expected, absent in [
        ("state=review", "In review 0", "Soon 0"),
        ("state=scheduled", "Soon 0", "Out now 0"),
        ("state=draft&amp;mine=1", "My draft 0", "In review 0"),
        ("state=published", "Out now 0", "Soon 0"),
    ]:
        assert f'href="{changelist}?{filters}"' in page
        listed = client.get(f"{changelist}?{filters.replace('&amp;', '&')}").content.decode()
        assert expected in listed and absent not in listed, filters


def test_journalist_sees_only_own_stories_in_review(journalist, other_journalist):
    ArticleFactory(
        headline="Theirs", status="review", published_at=None, created_by=other_journalist
    )
    ArticleFactory(headline="Mine", status="review", published_at=None, created_by=journalist)
    page = logged_in(journalist).get(INDEX).content.decode()
    assert "Mine" in page and "Theirs" not in page


def test_moderator_sees_no_story_blocks(moderator):
    stories_for(moderator)
    assert "Recently published" not in logged_in(moderator).get(INDEX).content.decode()


def test_query_count_is_fixed(editor):
    """One query per block, whatever the number of stories (no query per story row)."""
    client = logged_in(editor)

    def count(stories):
        stories_for(editor, stories)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(INDEX).status_code == 200
        return len(queries)

    assert count(1) == count(10)
