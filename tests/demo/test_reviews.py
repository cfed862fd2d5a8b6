"""`manage.py load_demo_reviews`, the demo moderation queue (demo/reviews.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from comments.models import BlockedTerm, Comment
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class TestDemoReviews:
    def test_demo_has_every_kind_of_review_in_three_languages_and_is_idempotent(self):
        for language in ["en", "ru", "az"]:
            ArticleFactory.create_batch(2, language=language)
        assert "new" in run("load_demo_reviews")
        counts = Comment.objects.count()
        run("load_demo_reviews")
        assert Comment.objects.count() == counts
        for language in ["en", "ru", "az"]:
            reviews = Comment.objects.filter(article__language=language)
            assert {"approved", "pending"} <= set(reviews.values_list("status", flat=True))
            assert reviews.filter(reports__isnull=False).exists(), language
            assert reviews.filter(is_newsroom=True).exists()
        assert Comment.objects.filter(status="spam").exists()
        assert Comment.objects.reported().exists()
        assert BlockedTerm.objects.count() == 3
