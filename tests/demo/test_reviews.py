"""`manage.py load_demo_reviews`, the demo moderation queue (demo/reviews.py)."""

from io import StringIO

import pytest
from django.core.management import call_command

from comments.models import Ban, BlockedTerm, Comment, ModerationDecision
from demo import content
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def run(*args):
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


class TestDemoReviews:
    def test_demo_has_every_kind_of_review_in_three_languages_and_is_idempotent(self):
        run("load_demo")
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


def test_make_runs_loaders_twice_over_a_real_newsroom_add_nothing_to_its_stories():
    """``make run`` runs the demo loaders on every start (scripts/run). Over a newsroom
    whose editors have worked, with stories newer than the demo's and a banned reader, they
    add nothing to the real stories, and a second run adds nothing at all (issue 18)."""
    run("load_demo")
    real = [ArticleFactory(language=language) for language in ["en", "ru", "az"]]
    waiting = CommentFactory(article=real[0], status="pending", body="A real reader")
    banned = content.read("reviews")["reviews"]["en"][0]["email"]
    Ban.objects.create(email=banned, reason="a moderator's ban")
    for _ in range(2):
        run("load_demo")
        run("load_demo_reviews")
    assert list(Comment.objects.filter(article__in=real)) == [waiting]
    assert not Comment.objects.filter(email=banned).exists()
    assert not ModerationDecision.objects.exists()
    before = Comment.objects.count()
    run("load_demo")
    run("load_demo_reviews")
    assert Comment.objects.count() == before
