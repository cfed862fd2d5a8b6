"""The moderation queue at speed (issue 18): one-click row decisions with an Undo, the
Reported queue that empties, tab counts, and the review's own page."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from comments import queue
from comments.models import Ban, Comment, ModerationDecision, RejectReason, Report
from comments.queue import tab_counts
from tests.factories import CommentFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:comments_comment_changelist")
JSON = {"HTTP_ACCEPT": "application/json"}


def reported(status="approved", reports=1, **fields):
    review = CommentFactory(status=status, **fields)
    for n in range(reports):
        review.reports.create(reason="abuse", reporter_hash=f"{review.pk}-{n}")
    return review


def decide(client, review, decision, **data):
    url = reverse("admin:comments_comment_moderate", args=[review.pk])
    return client.post(url, {"decision": decision, **data}, **JSON)


class TestReportedQueueEmpties:
    def test_approving_an_approved_reported_review_resolves_its_reports(self, client, moderator):
        """The bug: the status change returned early, before resolving the reports, so
        the Reported queue could not be cleared."""
        review = reported(reports=2)
        client.force_login(moderator)
        client.post(CHANGELIST, {"action": "approve_comments", ACTION_CHECKBOX_NAME: [review.pk]})
        assert not Report.objects.filter(is_resolved=False).exists()
        assert not Comment.objects.reported().exists()
        html = client.get(CHANGELIST + "?queue=reported").content.decode()
        assert review.body not in html

    def test_keep_resolves_the_reports_and_leaves_the_review_as_it_is(self, client, moderator):
        review = reported()
        client.force_login(moderator)
        answer = decide(client, review, "keep")
        assert answer.status_code == 200
        review.refresh_from_db()
        assert review.status == Comment.Status.APPROVED
        assert not Comment.objects.reported().exists()
        decision = ModerationDecision.objects.get()
        assert (decision.from_status, decision.to_status, decision.moderator) == (
            "approved",
            "approved",
            moderator,
        )


class TestRowDecisions:
    def test_reject_with_one_of_the_editors_reasons_and_an_optional_note(self, client, moderator):
        assert list(RejectReason.objects.values_list("label", flat=True)) == [
            "Off-topic", "Abuse", "Spam", "Personal data", "Other",
        ]  # fmt: skip
        first, second = CommentFactory.create_batch(2, status="pending")
        client.force_login(moderator)
        decide(client, first, "reject", reason="Personal data")
        decide(client, second, "reject", reason="Abuse", note="insults a named neighbour")
        assert list(
            ModerationDecision.objects.order_by("pk").values_list("to_status", "reason")
        ) == [("rejected", "Personal data"), ("rejected", "Abuse: insults a named neighbour")]

    def test_the_answer_says_what_happened_and_offers_an_undo(self, client, moderator):
        review = CommentFactory(status="pending")
        client.force_login(moderator)
        answer = json.loads(decide(client, review, "spam").content)
        assert answer == {"message": "Marked as spam.", "undo": True}

    def test_undo_is_a_real_decision_recorded(self, client, moderator):
        review = CommentFactory(status="pending")
        client.force_login(moderator)
        decide(client, review, "approve")
        answer = decide(client, review, "undo")
        assert json.loads(answer.content)["message"] == "Undone: back to “Pending”."
        review.refresh_from_db()
        assert review.status == Comment.Status.PENDING
        assert list(
            ModerationDecision.objects.order_by("pk").values_list(
                "from_status", "to_status", "reason", "moderator_username"
            )
        ) == [("pending", "approved", "", "mona"), ("approved", "pending", "undo", "mona")]

    def test_undo_of_a_ban_lifts_that_ban_only(self, client, moderator):
        Ban.objects.create(email="troll@example.com", reason="an older ban")
        review = CommentFactory(status="pending", email="troll@example.com", ip_hash="ab" * 32)
        client.force_login(moderator)
        decide(client, review, "ban")
        review.refresh_from_db()
        assert review.status == Comment.Status.REJECTED
        assert Ban.objects.filter(ip_hash="ab" * 32, created_by=moderator).exists()
        decide(client, review, "undo")
        assert list(Ban.objects.values_list("reason", flat=True)) == ["an older ban"]
        review.refresh_from_db()
        assert review.status == Comment.Status.PENDING

    def test_nothing_to_undo_of_someone_elses(self, client, moderator, superuser_client):
        review = CommentFactory(status="pending")
        superuser_client.post(
            reverse("admin:comments_comment_moderate", args=[review.pk]), {"decision": "spam"}
        )
        client.force_login(moderator)
        assert decide(client, review, "undo").status_code == 409
        review.refresh_from_db()
        assert review.status == Comment.Status.SPAM

    def test_without_javascript_a_row_button_redirects_back_to_the_queue(self, client, moderator):
        review = CommentFactory(status="pending")
        client.force_login(moderator)
        url = reverse("admin:comments_comment_moderate", args=[review.pk])
        back = CHANGELIST + "?queue=pending"
        response = client.post(url, {"decision": "approve", "next": back})
        assert response.status_code == 302 and response.url == back
        elsewhere = client.post(url, {"decision": "spam", "next": "https://evil.example/"})
        assert elsewhere.url == reverse("admin:comments_comment_change", args=[review.pk])

    def test_unknown_decisions_are_refused(self, client, moderator):
        review = CommentFactory(status="pending")
        client.force_login(moderator)
        assert decide(client, review, "delete").status_code == 400

    @pytest.mark.parametrize("decision", ["approve", "reject", "spam", "ban", "keep", "undo"])
    def test_a_decision_costs_the_same_queries_whatever_the_history(
        self, client, moderator, decision
    ):
        """Fixed per decision: the author's history and the reports are updated in bulk,
        never walked one by one."""
        client.force_login(moderator)
        counts = []
        for size in (1, 30):
            CommentFactory.create_batch(size, email=f"busy{size}@example.com", status="approved")
            review = reported(status="pending", reports=size, email=f"busy{size}@example.com")
            decide(client, review, "approve")  # Something to undo; the user's perms cached.
            with CaptureQueriesContext(connection) as queries:
                assert decide(client, review, decision).status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1] <= 14


class TestQueuePage:
    def test_tab_counts_in_one_query(self, django_assert_num_queries):
        CommentFactory.create_batch(3, status="pending")
        CommentFactory(status="spam")
        reported(reports=3)
        reported(status="pending", reports=1)
        with django_assert_num_queries(1):
            counts = tab_counts()
        assert counts == {"pending": 4, "reported": 2, "approved": 1, "rejected": 0, "spam": 1}

    def test_tab_counts_stop_at_the_cap_and_say_so(self, client, moderator, monkeypatch):
        """A count reads at most COUNT_CAP rows per tab (counting 200,000 approved reviews
        is a scan that grows with the table); the tab then reads "3+", not a wrong total."""
        monkeypatch.setattr(queue, "COUNT_CAP", 3)
        CommentFactory.create_batch(5, status="pending")
        CommentFactory.create_batch(2, status="spam")
        reported(status="pending", reports=2)
        assert tab_counts() == {
            "pending": 3,
            "reported": 1,
            "approved": 0,
            "rejected": 0,
            "spam": 2,
        }
        client.force_login(moderator)
        tabs = client.get("/admin/comments/comment/?queue=pending").context["queue_tabs"]
        assert [(tab["key"], tab["capped"]) for tab in tabs if tab["capped"]] == [
            ("pending", True)
        ]
        page = client.get("/admin/comments/comment/?queue=pending").content.decode()
        assert '<span class="queue-tabs__count">3+</span>' in page

    @pytest.mark.parametrize("queue", ["pending", "reported"])
    def test_the_queue_page_has_a_fixed_query_count(self, client, moderator, queue):
        """Rows, their story and parent, the author's history and bans, the tab counts and
        the reject reasons: the same queries for 2 rows or 40, with reports and replies."""
        client.force_login(moderator)
        counts = []
        for size in (2, 40):
            parent = CommentFactory(status="approved")
            for n in range(size):
                reported(
                    status="pending",
                    reports=2,
                    parent=parent if n % 2 else None,
                    article=parent.article,
                    email=f"a{n % 4}@example.com",
                )
                Ban.objects.create(email=f"a{n % 4}@example.com")
            with CaptureQueriesContext(connection) as queries:
                response = client.get(f"{CHANGELIST}?queue={queue}")
            assert response.status_code == 200
            counts.append(len(queries))
        assert counts[0] == counts[1] <= 14

    def test_each_row_shows_its_decisions_story_reply_history_and_reasons(self, client, moderator):
        parent = CommentFactory(status="approved", body="The answered review")
        CommentFactory(status="approved", email="x@example.com")
        Ban.objects.create(email="x@example.com")
        review = CommentFactory(
            status="pending",
            parent=parent,
            article=parent.article,
            email="x@example.com",
            held_reasons=["new commenter on an open story"],
        )
        client.force_login(moderator)
        html = client.get(CHANGELIST + "?queue=pending").content.decode()
        assert f'id="moderate-{review.pk}"' in html
        for value in ["approve", "reject", "spam", "ban"]:
            assert f'form="moderate-{review.pk}" name="decision" value="{value}"' in html
        assert "in reply to" in html and "The answered review" in html
        assert "1 approved, 0 rejected" in html and "banned" in html
        assert "new commenter on an open story" in html
        assert '<option value="Off-topic">Off-topic</option>' in html
        assert "js/moderation.js" in html

    def test_journalists_see_no_row_decisions(self, client, journalist):
        CommentFactory(status="pending")
        client.force_login(journalist)
        html = client.get(CHANGELIST + "?queue=pending").content.decode()
        assert 'name="decision"' not in html and "moderation.js" not in html


class TestReviewPage:
    def test_actions_first_reasons_in_words_no_empty_sections_no_save_row(self, client, moderator):
        review = CommentFactory(status="pending", held_reasons=["pre-moderated story"])
        client.force_login(moderator)
        html = client.get(reverse("admin:comments_comment_change", args=[review.pk])).content
        html = html.decode()
        assert html.index("Moderate this review") < html.index("field-body")
        assert "pre-moderated story" in html and '["pre-moderated story"]' not in html
        assert "decisions-group" not in html and "reports-group" not in html
        assert 'name="_save"' not in html
        decide(client, review, "approve")
        html = client.get(reverse("admin:comments_comment_change", args=[review.pk])).content
        assert "decisions-group" in html.decode()


def test_editors_maintain_the_reject_reasons_moderators_read_them(client, editor, moderator):
    client.force_login(editor)
    add = reverse("admin:comments_rejectreason_add")
    response = client.post(add, {"label": "Advertising", "position": 9, "is_active": "on"})
    assert response.status_code == 302
    assert RejectReason.objects.filter(label="Advertising").exists()
    client.force_login(moderator)
    assert client.get(add).status_code == 403
    assert client.get(reverse("admin:comments_rejectreason_changelist")).status_code == 200
