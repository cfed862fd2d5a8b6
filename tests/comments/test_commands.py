import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from comments.models import Comment, Report
from tests.factories import ArticleFactory, CommentFactory

pytestmark = pytest.mark.django_db


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def days_ago(days):
    return timezone.now() - timedelta(days=days)


class TestPurge:
    def test_forgets_ip_hashes_older_than_30_days(self):
        old = CommentFactory(ip_hash="a" * 64, created_at=days_ago(31))
        new = CommentFactory(ip_hash="b" * 64, created_at=days_ago(29))
        Report.objects.create(
            comment=new, reason="spam", reporter_hash="c" * 64, created_at=days_ago(40)
        )
        run("purge_reviews")
        old.refresh_from_db()
        new.refresh_from_db()
        assert old.ip_hash == "" and new.ip_hash == "b" * 64
        assert Report.objects.get().reporter_hash == ""

    def test_deletes_rejected_and_spam_older_than_the_setting(self, settings):
        settings.COMMENTS_PURGE_REJECTED_AFTER_DAYS = 90
        gone = [
            CommentFactory(status=status, created_at=days_ago(91))
            for status in ["rejected", "spam"]
        ]
        kept = [
            CommentFactory(status="rejected", created_at=days_ago(89)),
            CommentFactory(status="approved", created_at=days_ago(400)),
            CommentFactory(status="pending", created_at=days_ago(400)),
        ]
        run("purge_reviews")
        assert not Comment.objects.filter(pk__in=[c.pk for c in gone]).exists()
        assert Comment.objects.filter(pk__in=[c.pk for c in kept]).count() == 3

    def test_age_can_be_given_on_the_command_line(self):
        CommentFactory(status="spam", created_at=days_ago(8))
        run("purge_reviews", "--rejected-days", "7")
        assert not Comment.objects.exists()


class TestReaderData:
    def test_export_gives_every_review_of_the_email(self):
        CommentFactory(email="reader@example.com", body="Mine, approved.")
        CommentFactory(email="Reader@Example.com", status="pending", body="Mine, pending.")
        CommentFactory(email="someone@example.com", body="Not mine.")
        exported = json.loads(run("gdpr_reviews", "export", "reader@example.com"))
        assert {row["text"] for row in exported} == {"Mine, approved.", "Mine, pending."}
        assert all(row["email"].lower() == "reader@example.com" for row in exported)

    def test_erase_removes_them_and_nothing_else(self):
        CommentFactory.create_batch(2, email="reader@example.com")
        other = CommentFactory(email="someone@example.com")
        with pytest.raises(CommandError):
            run("gdpr_reviews", "erase", "reader@example.com")
        assert Comment.objects.count() == 3
        assert run("gdpr_reviews", "erase", "reader@example.com", "--yes") == "Erased 2 reviews.\n"
        assert list(Comment.objects.all()) == [other]

    def test_erase_service_takes_replies_and_reports_along(
        self, django_capture_on_commit_callbacks
    ):
        """``reader_reviews_erase`` is what the command runs: the reader's reviews in any
        letter case, others' replies to them and their reports go; the counts say so."""
        from comments.services import reader_reviews_erase
        from core.cache import tags_invalidated

        mine = CommentFactory(email="Reader@Example.com")
        CommentFactory(email="reader@example.com", status="pending")
        CommentFactory(parent=mine, article=mine.article, email="someone@example.com")
        Report.objects.create(comment=mine, reason="spam", reporter_hash="c" * 64)
        other = CommentFactory(email="someone@example.com")
        erased = Comment.objects.by_email("reader@example.com")
        stories = {f"reviews:{c.article_id}" for c in erased}
        sent = []
        tags_invalidated.connect(receiver := lambda sender, tags, **kw: sent.append(tags))
        with django_capture_on_commit_callbacks(execute=True):
            counts = reader_reviews_erase(email="reader@example.com")
        tags_invalidated.disconnect(receiver)
        assert counts == {"reviews": 2, "replies": 1, "reports": 1, "decisions": 0}
        assert list(Comment.objects.all()) == [other]
        assert len(stories) == 2 and sent == [stories]


class TestDigest:
    def test_digest_lists_the_pending_queue_for_moderators(self, moderator, mailoutbox):
        story = ArticleFactory(headline="Bridge reopens")
        CommentFactory.create_batch(3, article=story, status="pending")
        CommentFactory(article=story)
        run("send_review_digest")
        assert len(mailoutbox) == 1
        message = mailoutbox[0]
        assert message.subject == "3 reviews waiting for moderation"
        assert message.to == ["mona@newsroom.example"]
        assert "Bridge reopens" in message.body and "?queue=pending" in message.body

    def test_nothing_is_sent_for_an_empty_queue(self, moderator, mailoutbox):
        CommentFactory()
        assert "Nothing to send" in run("send_review_digest")
        assert mailoutbox == []
