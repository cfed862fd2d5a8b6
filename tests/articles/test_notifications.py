"""Notifications (issue 16): who hears of which workflow step, in the admin and by email.

Submitted → every editor; returned (with the note) → the author; published or scheduled →
the author and bylined staff. Shown in the admin header and on the dashboard, marked read
when opened, emailed by a worker unless the user turned email off, never with the body.
"""

from datetime import timedelta

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from articles.models import Notification, NotificationPreference
from articles.services import article_transition
from tests.factories import ArticleFactory, BylineFactory, ContributorFactory
from tests.helpers import (
    admin_save,
    change_url,
    local_time,
    logged_in,
    run_tasks,
    staff_in_role,
)

pytestmark = pytest.mark.django_db

SECRET_BODY = "<p>Embargoed figures: 42 per cent.</p>"
MINE = reverse("admin:articles_notification_changelist")


@pytest.fixture
def submitted(journalist, editor, second_editor, django_capture_on_commit_callbacks):
    story = ArticleFactory(draft=True, created_by=journalist, body=SECRET_BODY)
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(logged_in(journalist), story, _workflow="submit")
    return story


def kinds(user):
    return list(Notification.objects.filter(recipient=user).values_list("kind", flat=True))


def test_a_submitted_story_tells_every_editor_and_not_its_author(
    submitted, journalist, editor, second_editor, moderator
):
    assert kinds(editor) == kinds(second_editor) == ["submitted"]
    assert kinds(journalist) == kinds(moderator) == []
    run_tasks()
    assert sorted(message.to[0] for message in mail.outbox) == [
        "edith@newsroom.example", "emil@newsroom.example",
    ]  # fmt: skip
    message = mail.outbox[0]
    assert submitted.headline in message.body and change_url(submitted) in message.body
    assert "42 per cent" not in message.body + message.subject
    assert submitted.headline not in message.subject  # headers carry nothing typed


def test_the_email_is_sent_by_a_worker_once(submitted, editor):
    assert mail.outbox == []  # the request sent nothing
    run_tasks()
    run_tasks()
    assert len(mail.outbox) == 2
    assert Notification.objects.filter(emailed_at__isnull=True).count() == 0


def test_a_returned_story_tells_its_author_with_the_note(submitted, journalist, editor):
    article_transition(article=submitted, user=editor, action="return", note="Cite the source.")
    notification = Notification.objects.get(recipient=journalist)
    assert notification.kind == "returned" and notification.note == "Cite the source."
    page = logged_in(journalist).get(MINE).content.decode()
    assert f"Edith returned “{submitted.headline}” to you." in page
    assert "Cite the source." in page


def test_publishing_tells_the_author_and_bylined_staff_only(submitted, journalist, editor):
    colleague = staff_in_role("oleg", "Journalists")
    BylineFactory(article=submitted, contributor=ContributorFactory(user=colleague))
    BylineFactory(article=submitted, contributor=ContributorFactory())  # no account
    article_transition(article=submitted, user=editor, action="publish")
    assert kinds(journalist) == kinds(colleague) == ["published"]
    assert kinds(editor) == ["submitted"]  # the one who published is not told


def test_scheduling_says_when(submitted, journalist, editor):
    when = timezone.now() + timedelta(days=1)
    article_transition(article=submitted, user=editor, action="schedule", published_at=when)
    notification = Notification.objects.get(recipient=journalist)
    assert notification.kind == "scheduled" and "scheduled" in notification.message()


def test_moving_the_publication_time_across_now_tells_the_author(journalist, editor):
    story = ArticleFactory(created_by=journalist)
    later = local_time(timezone.now() + timedelta(days=1))
    admin_save(logged_in(editor), story, published_at=later)
    assert kinds(journalist) == ["scheduled"]


def test_a_user_who_turned_email_off_gets_the_notification_but_no_email(
    submitted, editor, second_editor, django_capture_on_commit_callbacks
):
    client = logged_in(second_editor)
    assert client.post(MINE, {}).status_code == 302  # the box unticked: no email
    assert not NotificationPreference.objects.get(user=second_editor).email
    with django_capture_on_commit_callbacks(execute=True):
        admin_save(logged_in(editor), submitted, _workflow="return", workflow_note="Shorter.")
        story = type(submitted).objects.get(pk=submitted.pk)
        admin_save(logged_in(story.created_by), story, _workflow="submit")
    run_tasks()  # the first submission's email to emil was planned before: not sent either
    sent_to = sorted(message.to[0] for message in mail.outbox)
    assert sent_to == ["edith@newsroom.example", "edith@newsroom.example", "jana@newsroom.example"]
    assert kinds(second_editor) == ["submitted", "submitted"]


def test_the_header_counts_unread_notifications_on_every_admin_page(submitted, editor):
    client = logged_in(editor)
    for address in [reverse("admin:index"), reverse("admin:articles_article_changelist")]:
        assert "1 new notification" in client.get(address).content.decode()


def test_the_dashboard_lists_them_and_opening_one_marks_it_read(submitted, editor):
    client = logged_in(editor)
    notification = Notification.objects.get(recipient=editor)
    open_url = reverse("admin:articles_notification_open", args=[notification.pk])
    assert open_url in client.get(reverse("admin:index")).content.decode()
    assert client.get(open_url)["Location"] == change_url(submitted)
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert "1 new notification" not in client.get(reverse("admin:index")).content.decode()


def test_no_one_opens_anothers_notification(submitted, editor, second_editor):
    notification = Notification.objects.get(recipient=editor)
    open_url = reverse("admin:articles_notification_open", args=[notification.pk])
    assert logged_in(second_editor).get(open_url).status_code == 403
    notification.refresh_from_db()
    assert notification.read_at is None


def test_no_notification_shows_the_story_body(submitted, editor):
    page = logged_in(editor).get(MINE).content.decode()
    assert submitted.headline in page and "42 per cent" not in page


@pytest.mark.parametrize("page", ["changelist", "change"])
def test_admin_pages_cost_the_same_whatever_the_number_of_notifications(editor, page):
    """One query for the header's count, however many notifications wait (no N+1)."""
    story = ArticleFactory(draft=True, created_by=editor)
    client = logged_in(editor)
    address = (
        change_url(story) if page == "change" else reverse("admin:articles_article_changelist")
    )

    def cost(notifications):
        Notification.objects.bulk_create(
            Notification(recipient=editor, article=story, kind="submitted", actor=editor)
            for _ in range(notifications)
        )
        client.get(address)  # the edit lock is claimed on the first opening
        with CaptureQueriesContext(connection) as queries:
            assert client.get(address).status_code == 200
        return len(queries)

    assert cost(1) == cost(30)


def test_the_dashboard_costs_the_same_whatever_the_number_of_notifications(editor):
    story = ArticleFactory(draft=True)
    client = logged_in(editor)

    def cost(notifications):
        Notification.objects.bulk_create(
            Notification(recipient=editor, article=story, kind="submitted", actor=editor)
            for _ in range(notifications)
        )
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("admin:index")).status_code == 200
        return len(queries)

    assert cost(1) == cost(20)


def test_moderators_get_no_notifications_page(moderator):
    assert logged_in(moderator).get(MINE).status_code == 403
    assert "notification" not in logged_in(moderator).get(reverse("admin:index")).content.decode()
