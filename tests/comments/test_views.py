from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from comments.models import Comment, Report
from comments.services import comments_set_status
from tests.factories import ArticleFactory, CommentFactory, SectionFactory, StaffFactory
from tests.helpers import post_review, post_url, run_tasks

pytestmark = pytest.mark.django_db


class TestReaderFlow:
    def test_post_waits_then_approval_shows_it(self, client, story, moderator):
        """Post → pending (not shown) → approved by a moderator → shown on the next request."""
        response = post_review(client, story, body="Worth reading twice.")
        assert response.status_code == 302
        assert response["Location"] == f"{story.get_absolute_url()}#review-sent"
        page = client.get(response["Location"])
        assert "your review will appear once a moderator has read it" in page.content.decode()
        assert "Worth reading twice." not in page.content.decode()

        review = Comment.objects.get()
        assert review.status == Comment.Status.PENDING
        comments_set_status(
            comments=Comment.objects.filter(pk=review.pk), status="approved", moderator=moderator
        )
        assert "Worth reading twice." in client.get(story.get_absolute_url()).content.decode()

    def test_premoderated_story_holds_even_a_trusted_reader(self, client, story):
        CommentFactory.create_batch(2, email="nigar@example.com")
        post_review(client, story)
        assert Comment.objects.get(article=story).held_reasons == ["pre-moderated story"]

    def test_open_story_publishes_a_trusted_readers_review_at_once(self, client, open_story):
        CommentFactory.create_batch(2, email="nigar@example.com")
        response = post_review(client, open_story, body="Straight to the page.")
        review = Comment.objects.get(article=open_story)
        assert review.status == Comment.Status.APPROVED
        assert response["Location"].endswith("#review-sent")
        page = client.get(open_story.get_absolute_url()).content.decode()
        assert "Straight to the page." in page
        assert "your review is now published" in page

    def test_open_story_holds_a_newcomers_first_review(self, client, open_story):
        post_review(client, open_story)
        assert Comment.objects.get().status == Comment.Status.PENDING

    def test_closed_story_has_no_form_and_refuses_a_raw_post(self, client):
        story = ArticleFactory(comments_mode="closed")
        page = client.get(story.get_absolute_url()).content.decode()
        assert "Reviews are closed for this story." in page
        assert 'name="body"' not in page
        assert post_review(client, story).status_code == 403
        assert not Comment.objects.exists()

    def test_a_review_sent_after_the_story_closed_keeps_its_text(self, client):
        """Reviews closed while the reader was writing: a 403 that says so and gives the
        text back to copy, with nothing to send it with."""
        story = ArticleFactory(comments_mode="closed")
        response = post_review(client, story, body="My careful thoughts on this.")
        page = response.content.decode()
        assert response.status_code == 403
        assert "no longer takes reviews" in page
        assert "My careful thoughts on this." in page
        assert 'type="submit"' not in page.split('class="review-page"')[1].split("</main>")[0]
        assert not Comment.objects.exists()

    def test_closed_story_refuses_replies_too(self, client):
        story = ArticleFactory(comments_mode="closed")
        parent = CommentFactory(article=story)
        assert post_review(client, story, parent=parent.pk).status_code == 403

    def test_story_closes_by_itself_after_the_configured_days(self, client, settings):
        settings.COMMENTS_CLOSE_AFTER_DAYS = 14
        old = ArticleFactory(published_at=timezone.now() - timedelta(days=15))
        assert post_review(client, old).status_code == 403
        recent = ArticleFactory(published_at=timezone.now() - timedelta(days=13))
        assert post_review(client, recent).status_code == 302

    def test_reply_to_a_review_of_another_story_is_400(self, client, story):
        elsewhere = CommentFactory(article=ArticleFactory())
        assert post_review(client, story, parent=elsewhere.pk).status_code == 400
        assert not Comment.objects.filter(article=story).exists()

    @pytest.mark.parametrize("status", ["pending", "rejected", "spam"])
    def test_reply_to_an_unpublished_review_is_400(self, client, story, status):
        hidden = CommentFactory(article=story, status=status)
        assert post_review(client, story, parent=hidden.pk).status_code == 400

    def test_reply_to_a_reply_answers_its_parent(self, client, story):
        parent = CommentFactory(article=story)
        reply = CommentFactory(article=story, parent=parent)
        post_review(client, story, parent=reply.pk)
        assert Comment.objects.latest("pk").parent == parent

    def test_form_with_errors_keeps_the_input_and_says_what_is_wrong(self, client, story):
        response = post_review(client, story, email="not-an-address", body="Kept text, 42.")
        html = response.content.decode()
        assert response.status_code == 200
        assert "Enter a valid email address." in html
        assert 'value="not-an-address"' in html
        assert "Kept text, 42." in html
        assert 'aria-describedby="id_email_helptext id_email_error"' in html
        assert 'id="id_email_error" role="alert"' in html
        assert not Comment.objects.exists()

    def test_reply_link_opens_the_form_with_the_review_quoted(self, client, story):
        parent = CommentFactory(article=story, body="The original point.")
        response = client.get(f"{post_url(story)}?parent={parent.pk}")
        html = response.content.decode()
        assert "Reply to a review" in html
        assert "The original point." in html
        assert f'name="parent" value="{parent.pk}"' in html


class TestStoryPage:
    def test_reviews_oldest_first_with_replies_under_their_parent(self, client, story):
        first = CommentFactory(article=story, body="First in.")
        CommentFactory(article=story, body="Second in.")
        CommentFactory(article=story, parent=first, body="A reply.", is_newsroom=True)
        CommentFactory(article=story, body="Not yet.", status="pending")
        html = client.get(story.get_absolute_url()).content.decode()
        assert html.index("First in.") < html.index("A reply.") < html.index("Second in.")
        assert "Not yet." not in html
        assert "3 reviews" in html
        assert '<span class="badge">Newsroom</span>' in html

    def test_review_text_keeps_line_breaks_and_direction_and_links_are_not_clickable(
        self, client, story
    ):
        CommentFactory(article=story, body="Line one\nsee https://example.com/x")
        html = client.get(story.get_absolute_url()).content.decode()
        assert (
            '<p class="review__text" dir="auto">Line one<br>see https://example.com/x</p>' in html
        )
        assert 'href="https://example.com/x"' not in html

    def test_email_is_never_shown(self, client, story):
        CommentFactory(article=story, email="secret.reader@example.com")
        assert "secret.reader" not in client.get(story.get_absolute_url()).content.decode()

    def test_more_than_a_page_of_reviews_is_paginated(self, client, story, settings):
        settings.COMMENTS_PER_PAGE = 3
        for n in range(7):
            CommentFactory(article=story, body=f"Review number {n}.")
        first = client.get(story.get_absolute_url()).content.decode()
        assert "Review number 2." in first and "Review number 3." not in first
        assert "Page 1 of 3" in first
        third = client.get(story.get_absolute_url() + "?reviews=3").content.decode()
        assert "Review number 6." in third and "Review number 5." not in third

    def test_list_pages_show_review_counts(self, client):
        section = SectionFactory(slug="economics")
        story = ArticleFactory(section=section)
        CommentFactory.create_batch(2, article=story)
        CommentFactory(article=story, status="pending")
        assert (
            "2 reviews"
            in client.get(reverse("articles:section", args=["economics"])).content.decode()
        )
        assert "2 reviews" in client.get(reverse("articles:home")).content.decode()


class TestReports:
    def report(self, client, review, reason="abuse", ip="203.0.113.5"):
        url = reverse("comments:report", args=[review.pk])
        return client.post(url, {"reason": reason}, REMOTE_ADDR=ip)

    def test_report_form_offers_the_reasons(self, client, story):
        review = CommentFactory(article=story)
        html = client.get(reverse("comments:report", args=[review.pk])).content.decode()
        for reason in ["Spam", "Abuse or harassment", "Off-topic", "Illegal content", "Other"]:
            assert reason in html

    def test_one_report_per_reader_per_review(self, client, story):
        review = CommentFactory(article=story)
        assert self.report(client, review).status_code == 302
        self.report(client, review, reason="spam")
        assert Report.objects.count() == 1
        assert "already reported" in client.get(story.get_absolute_url()).content.decode()

    def test_enough_distinct_reports_withhold_the_review(self, client, story, settings):
        settings.COMMENTS_REPORTS_TO_HOLD = 3
        review = CommentFactory(article=story, body="Contested words.")
        for n in range(2):
            self.report(client, review, ip=f"203.0.113.{n + 1}")
        review.refresh_from_db()
        assert review.status == Comment.Status.APPROVED
        self.report(client, review, ip="203.0.113.9")
        review.refresh_from_db()
        assert review.status == Comment.Status.PENDING
        assert review.decisions.get().reason == "withheld after 3 reports"
        assert "Contested words." not in client.get(story.get_absolute_url()).content.decode()

    def test_illegal_content_report_emails_moderators_from_a_worker(
        self, client, story, moderator, mailoutbox, django_capture_on_commit_callbacks
    ):
        review = CommentFactory(article=story)
        with django_capture_on_commit_callbacks(execute=True):
            self.report(client, review, reason="illegal")
        assert mailoutbox == []  # The reader's request sends nothing...
        run_tasks()  # ...a worker does, right after.
        assert len(mailoutbox) == 1
        assert mailoutbox[0].to == ["mona@newsroom.example"]
        assert f"/admin/comments/comment/{review.pk}/change/" in mailoutbox[0].body

    def test_unpublished_review_cannot_be_reported(self, client, story):
        review = CommentFactory(article=story, status="pending")
        assert self.report(client, review).status_code == 404


class TestNewsroomReplies:
    def test_a_moderator_replying_from_the_story_is_published_with_the_badge(
        self, client, open_story, moderator
    ):
        client.force_login(moderator)
        parent = CommentFactory(article=open_story)
        post_review(client, open_story, parent=parent.pk, body="We have corrected the figure.")
        reply = Comment.objects.get(parent=parent)
        assert reply.is_newsroom and reply.status == Comment.Status.APPROVED

    def test_a_reader_is_never_marked_newsroom(self, client, open_story):
        post_review(client, open_story)
        assert not Comment.objects.get().is_newsroom


class TestFormToken:
    def test_token_endpoint_is_never_cached_and_returns_a_fresh_stamp(self, client, story):
        response = client.get(reverse("comments:token", args=[story.pk]))
        assert "no-cache" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
        assert set(response.json()) == {"token"}

    def test_form_loads_the_enhancement_script_without_inline_javascript(self, client, story):
        html = client.get(story.get_absolute_url()).content.decode()
        assert 'src="/static/js/reviews.js"' in html
        assert "<script>" not in html


def test_staff_can_log_in_and_nothing_else_about_csrf_is_relaxed(story):
    """Posting without a CSRF token is refused (403), as for every form."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(StaffFactory())
    assert post_review(client, story).status_code == 403
    assert not Comment.objects.exists()
