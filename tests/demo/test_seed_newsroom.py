"""`manage.py seed_newsroom`, the large newsroom behind `make bench`."""

import pytest
from django.core.management import call_command

from articles.models import Article
from articles.search import search_stories
from comments.models import Comment

pytestmark = pytest.mark.django_db


def test_seeds_the_counts_asked_for_and_only_tops_up_on_a_second_run(client):
    call_command("seed_newsroom", stories=40, reviews=200, tags=5)
    assert Article.objects.count() == 40
    assert Comment.objects.count() == 200
    story = Article.objects.published().filter(comments__isnull=False).first()
    assert story.tags.count() == 3
    assert story.bylines.count() == 1
    # Indexed for search, as a saved story would be: by its words and by its tags.
    assert story in search_stories(story.headline.split()[0], story.language)
    assert story in search_stories(story.tags.first().name, story.language)
    call_command("seed_newsroom", stories=50, reviews=200, tags=5)
    assert Article.objects.count() == 50
    assert Comment.objects.count() == 200
    # The seeded stories are real stories: their pages render.
    assert client.get(story.get_absolute_url()).status_code == 200
