from datetime import timedelta

import pytest
from django.db import IntegrityError
from django.utils import timezone

from comments.models import Ban, BlockedTerm, Comment, Report, accepts_reviews
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def test_visible_is_approved_only():
    shown = CommentFactory()
    for status in ["pending", "rejected", "spam"]:
        CommentFactory(status=status)
    assert list(Comment.objects.visible()) == [shown]


def test_status_is_checked_by_the_database():
    with pytest.raises(IntegrityError):
        CommentFactory(status="published")


def test_one_report_per_reader_is_a_database_rule():
    review = CommentFactory()
    Report.objects.create(comment=review, reason="spam", reporter_hash="x")
    with pytest.raises(IntegrityError):
        Report.objects.create(comment=review, reason="abuse", reporter_hash="x")


def test_a_ban_needs_an_email_or_an_ip_hash():
    with pytest.raises(IntegrityError):
        Ban.objects.create(reason="nobody")


def test_active_bans_and_matching():
    Ban.objects.create(email="Troll@Example.com")
    Ban.objects.create(email="old@example.com", until=timezone.now())
    assert Ban.objects.matching(email="troll@example.com", ip_hash="").exists()
    assert not Ban.objects.matching(email="old@example.com", ip_hash="").exists()


def test_blocked_terms_are_stored_case_folded_and_unique_per_language():
    BlockedTerm.objects.create(term=" Lottery ")
    assert BlockedTerm.objects.get().term == "lottery"
    with pytest.raises(IntegrityError):
        BlockedTerm.objects.create(term="LOTTERY")


def test_approved_counts_for_a_page_of_stories(django_assert_num_queries):
    stories = ArticleFactory.create_batch(3)
    CommentFactory.create_batch(2, article=stories[0])
    CommentFactory(article=stories[1], status="pending")
    with django_assert_num_queries(1):
        counts = Comment.objects.approved_counts([s.pk for s in stories])
    assert counts == {stories[0].pk: 2}


def test_accepts_reviews_follows_mode_and_age(settings):
    settings.COMMENTS_CLOSE_AFTER_DAYS = 14
    assert accepts_reviews(ArticleFactory())
    assert not accepts_reviews(ArticleFactory(comments_mode="closed"))
    assert not accepts_reviews(ArticleFactory(draft=True))
    old = ArticleFactory(published_at=timezone.now() - timedelta(days=14, minutes=1))
    assert not accepts_reviews(old)


def test_author_history_is_annotated_in_the_same_query(django_assert_num_queries):
    CommentFactory.create_batch(2, email="a@example.com")
    CommentFactory(email="a@example.com", status="rejected")
    with django_assert_num_queries(1):
        rows = list(Comment.objects.for_moderation().filter(email="a@example.com"))
    assert {(r.author_approved, r.author_rejected) for r in rows} == {(2, 1)}


def test_approving_or_rejecting_invalidates_the_storys_reviews(
    moderator, django_capture_on_commit_callbacks
):
    """A decision that changes what readers see invalidates the tag of the story's
    reviews (core.cache), and nothing else, after commit, telling the edges."""
    from comments.services import comments_set_status
    from core.cache import tags_invalidated

    review = CommentFactory(status="pending")
    this_review = Comment.objects.filter(pk=review.pk)
    sent = []
    tags_invalidated.connect(receiver := lambda sender, tags, **kw: sent.append(tags))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            comments_set_status(comments=this_review, status="approved", moderator=moderator)
        with django_capture_on_commit_callbacks(execute=True):
            comments_set_status(
                comments=this_review, status="rejected", moderator=moderator, reason="second"
            )
    finally:
        tags_invalidated.disconnect(receiver)
    assert sent == [{f"reviews:{review.article_id}"}] * 2


def test_a_held_review_invalidates_nothing(client, django_capture_on_commit_callbacks):
    from core.cache import tags_invalidated
    from tests.helpers import post_review

    story = ArticleFactory()
    sent = []
    tags_invalidated.connect(receiver := lambda sender, tags, **kw: sent.append(tags))
    try:
        with django_capture_on_commit_callbacks(execute=True):
            post_review(client, story)
    finally:
        tags_invalidated.disconnect(receiver)
    assert Comment.objects.get().status == "pending"
    assert sent == []


def test_for_story_page_gives_top_level_reviews_with_their_replies(django_assert_num_queries):
    """The story page's paging query: approved top-level reviews oldest first, each with its
    approved replies, the top-level count and the total, in two queries."""
    story = ArticleFactory()
    first = CommentFactory(article=story, created_at=timezone.now() - timedelta(hours=2))
    second = CommentFactory(article=story, created_at=timezone.now() - timedelta(hours=1))
    reply = CommentFactory(article=story, parent=first)
    CommentFactory(article=story, parent=first, status="pending")
    CommentFactory(article=story, status="pending")
    CommentFactory()  # Another story's.
    with django_assert_num_queries(2):
        page = list(Comment.objects.for_story_page(story)[:1])
        assert [review.pk for review in page] == [first.pk]
        assert [r.pk for r in page[0].replies.all()] == [reply.pk]
        assert (page[0].top_level, page[0].total) == (2, 3)
    assert [r.pk for r in Comment.objects.for_story_page(story)[1:]] == [second.pk]
